import { MultipartParser } from 'formidable';
import { PushFailure } from './back-office-answer';

/** One MIME part of a multipart/related (XOP) answer. */
export interface MimePart {
  headers: Record<string, string>;
  body: Buffer;
}

/** An MTOM answer: the root XML (the SOAP envelope) and the attachments by Content-ID (without `<>`). */
export interface MtomAnswer {
  xml: string;
  attachments: Map<string, { mediaType: string; content: Buffer }>;
}

/** A media type and its parameters (`type; name=value; name="quoted value"`), names lower-cased. */
export function mediaTypeOf(header: string): { type: string; parameters: Record<string, string> } {
  const [type = '', ...rest] = header.split(';');
  const parameters: Record<string, string> = {};
  for (const match of rest.join(';').matchAll(/\s*([^=;\s]+)\s*=\s*("(?:[^"\\]|\\.)*"|[^;]*)/g)) {
    const value = match[2]!.trim();
    parameters[match[1]!.toLowerCase()] = value.startsWith('"') ? value.slice(1, -1).replace(/\\(.)/g, '$1') : value;
  }
  return { type: type.trim().toLowerCase(), parameters };
}

/** A Content-ID or a `cid:` reference, as the same key: no angle brackets, percent-decoded. */
export function contentIdKey(value: string): string {
  const bare = value.trim().replace(/^cid:/i, '').replace(/^<|>$/g, '');
  try {
    return decodeURIComponent(bare);
  } catch {
    return bare;
  }
}

/** The parts of a multipart body, by formidable's MIME parser (the one the `soap` package reads MTOM with). */
export async function multipartParts(payload: Buffer, boundary: string): Promise<MimePart[]> {
  const parser = new MultipartParser();
  parser.initWithBoundary(boundary);
  const parts: MimePart[] = [];
  let headerName = '';
  let headerValue = '';
  let current: { headers: Record<string, string>; chunks: Buffer[] } | undefined;
  parser.on('data', (event: { name: string; buffer?: Buffer; start?: number; end?: number }) => {
    const text = () => event.buffer!.subarray(event.start, event.end).toString('latin1');
    switch (event.name) {
      case 'partBegin':
        current = { headers: {}, chunks: [] };
        headerName = '';
        headerValue = '';
        break;
      case 'headerField':
        headerName += text();
        break;
      case 'headerValue':
        headerValue += text();
        break;
      case 'headerEnd':
        current!.headers[headerName.toLowerCase()] = headerValue;
        headerName = '';
        headerValue = '';
        break;
      case 'partData':
        current!.chunks.push(Buffer.from(event.buffer!.subarray(event.start, event.end)));
        break;
      case 'partEnd':
        parts.push({ headers: current!.headers, body: Buffer.concat(current!.chunks) });
        current = undefined;
        break;
    }
  });
  await new Promise<void>((resolve, reject) => {
    parser.once('error', reject);
    parser.once('end', resolve);
    parser.end(payload);
  }).catch((error: unknown) => {
    throw new PushFailure(`the multipart answer cannot be read: ${(error as Error).message}`, true);
  });
  return parts;
}

/**
 * An MTOM/XOP answer (multipart/related): the root part (named by `start`, else the first) is the
 * envelope; the other parts are attachments an xop:Include refers to by `cid:`.
 */
export async function readMtomAnswer(contentType: string, payload: Buffer): Promise<MtomAnswer> {
  const { parameters } = mediaTypeOf(contentType);
  const boundary = parameters.boundary;
  if (!boundary) throw new PushFailure('a multipart answer without a boundary', true);
  const parts = await multipartParts(payload, boundary);
  if (parts.length === 0) throw new PushFailure('a multipart answer without parts', true);
  const start = parameters.start ? contentIdKey(parameters.start) : undefined;
  const root =
    (start && parts.find((part) => part.headers['content-id'] && contentIdKey(part.headers['content-id']) === start)) ||
    parts[0]!;
  const rootType = mediaTypeOf(root.headers['content-type'] ?? '').type;
  if (!['application/xop+xml', 'text/xml', 'application/soap+xml'].includes(rootType)) {
    throw new PushFailure(`the root part of the answer is ${rootType || 'untyped'}, not XML`, true);
  }
  const attachments = new Map<string, { mediaType: string; content: Buffer }>();
  for (const part of parts) {
    if (part === root || !part.headers['content-id']) continue;
    const encoding = (part.headers['content-transfer-encoding'] ?? 'binary').trim().toLowerCase();
    const content = encoding === 'base64' ? Buffer.from(part.body.toString('latin1'), 'base64') : part.body;
    attachments.set(contentIdKey(part.headers['content-id']), {
      mediaType: mediaTypeOf(part.headers['content-type'] ?? 'application/octet-stream').type,
      content,
    });
  }
  return { xml: root.body.toString('utf8'), attachments };
}
