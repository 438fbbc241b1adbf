import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { inSpan, SpanKind, SpanStatusCode, traceHeaders } from '@umg/tracing';
import type { BackOfficeEndpointPolicy } from './back-office-endpoint-policy';

/** What a back office answered: the body as it came (an MTOM answer or a document is binary). */
export interface GuardedAnswer {
  status: number;
  body: Buffer;
  /** The body as UTF-8 text, decoded when read (a binary document never needs it). */
  readonly text: string;
  contentType: string;
}

/** The answer was cut off at the cap. */
export class AnswerTooLarge extends Error {
  constructor(readonly limit: number) {
    super(`the answer is larger than ${limit} bytes`);
    this.name = 'AnswerTooLarge';
  }
}

/** No answer within the deadline. */
export class NoAnswerInTime extends Error {
  constructor(readonly timeoutMs: number) {
    super(`no answer within ${timeoutMs} ms`);
    this.name = 'TimeoutError';
  }
}

export interface GuardedPostOptions {
  policy: BackOfficeEndpointPolicy;
  timeoutMs: number;
  maxAnswerBytes: number;
}

/**
 * One POST to a back office under the endpoint policy: the address is checked at connect time
 * (every address the name resolves to), a redirect is answered as the 3xx it is and never followed,
 * the answer is read up to a cap, and the whole exchange has a deadline. node:http is used rather
 * than fetch because it takes a `lookup` per request and follows nothing.
 */
export function guardedPost(
  url: URL,
  body: string,
  headers: Record<string, string>,
  options: GuardedPostOptions,
): Promise<GuardedAnswer> {
  return inSpan(
    'POST back-office',
    { kind: SpanKind.CLIENT, attributes: { 'http.request.method': 'POST', 'peer.service': 'back-office' } },
    async (span) => {
      const answer = await send('POST', url, body, { ...headers, ...traceHeaders() }, options);
      span.setAttribute('http.response.status_code', answer.status);
      if (answer.status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      return answer;
    },
  );
}

/**
 * One GET of a document a back office referred to in its answer, under the same rules as a push:
 * the endpoint policy at connect time, no redirects followed, a size cap and a deadline.
 */
export function guardedGet(url: URL, options: GuardedPostOptions): Promise<GuardedAnswer> {
  return inSpan(
    'GET back-office document',
    { kind: SpanKind.CLIENT, attributes: { 'http.request.method': 'GET', 'peer.service': 'back-office' } },
    async (span) => {
      const answer = await send('GET', url, undefined, { ...traceHeaders() }, options);
      span.setAttribute('http.response.status_code', answer.status);
      return answer;
    },
  );
}

function send(
  method: 'GET' | 'POST',
  url: URL,
  body: string | undefined,
  headers: Record<string, string>,
  options: GuardedPostOptions,
): Promise<GuardedAnswer> {
  return new Promise((resolve, reject) => {
    const request = (url.protocol === 'https:' ? httpsRequest : httpRequest)(
      url,
      {
        method,
        headers: body === undefined ? headers : { ...headers, 'Content-Length': String(Buffer.byteLength(body)) },
        lookup: options.policy.lookupFor(url) as never,
        // A fresh connection per exchange: every one goes through the address check.
        agent: false,
      },
      (response: IncomingMessage) => {
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > options.maxAnswerBytes) {
            request.destroy(new AnswerTooLarge(options.maxAnswerBytes));
            return;
          }
          chunks.push(chunk);
        });
        response.on('end', () => {
          clearTimeout(deadline);
          resolve({
            status: response.statusCode ?? 0,
            body: Buffer.concat(chunks),
            get text() {
              return this.body.toString('utf8');
            },
            contentType: response.headers['content-type'] ?? '',
          });
        });
        response.on('error', (error) => {
          clearTimeout(deadline);
          reject(error);
        });
      },
    );
    const deadline = setTimeout(() => request.destroy(new NoAnswerInTime(options.timeoutMs)), options.timeoutMs);
    request.on('error', (error) => {
      clearTimeout(deadline);
      reject(error);
    });
    request.end(body);
  });
}
