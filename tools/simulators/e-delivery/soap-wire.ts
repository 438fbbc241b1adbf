import { randomUUID } from 'node:crypto';
import { XMLBuilder, XMLParser } from 'fast-xml-parser';
import { EDeliveryNamespace } from '@umg/e-delivery';

/**
 * The simulator's side of SOAP 1.1 with MTOM, as WCF's basicHttpBinding with messageEncoding="Mtom"
 * speaks it: requests may come as multipart/related (XOP) or as plain text/xml; answers go out as
 * multipart/related with the envelope as the root part.
 */

/** The envelope of a request: from the root part of an MTOM package (xop:Include resolved) or the plain body. */
export function envelopeOf(contentType: string, body: Buffer): string {
  if (!/^multipart\/related/i.test(contentType)) return body.toString('utf8');
  const boundary = /boundary="?([^";]+)"?/i.exec(contentType)?.[1];
  if (!boundary) throw new Error('multipart/related without a boundary');
  const start = /start="?<?([^">;]+)>?"?/i.exec(contentType)?.[1];
  const parts = body
    .toString('latin1')
    .split(`--${boundary}`)
    .slice(1)
    .filter((part) => !part.startsWith('--'))
    .map((part) => {
      const [head, ...rest] = part.replace(/^\r\n/, '').split('\r\n\r\n');
      const content = rest.join('\r\n\r\n').replace(/\r\n$/, '');
      const id = /content-id:\s*<?([^>\r\n]+)>?/i.exec(head ?? '')?.[1]?.trim();
      return { id, content: Buffer.from(content, 'latin1') };
    });
  const root = (start && parts.find((part) => part.id === start)) ?? parts[0];
  if (!root) throw new Error('multipart/related without parts');
  // Binary parts referenced by xop:Include go back inline as base64, as if not optimised.
  return root.content.toString('utf8').replace(/<(\w+:)?Include[^>]*href="cid:([^"]+)"[^>]*\/>/g, (_, _prefix, cid) => {
    const part = parts.find((candidate) => candidate.id === decodeURIComponent(cid as string));
    return part ? part.content.toString('base64') : '';
  });
}

/** The MTOM package of an answer: one root part holding the envelope. */
export function mtomPackage(envelope: string): { contentType: string; body: Buffer } {
  const boundary = `uuid:${randomUUID()}+id=1`;
  const start = `<http://tempuri.org/0>`;
  const body = Buffer.from(
    `--${boundary}\r\nContent-ID: ${start}\r\nContent-Transfer-Encoding: 8bit\r\n` +
      `Content-Type: application/xop+xml;charset=utf-8;type="text/xml"\r\n\r\n${envelope}\r\n--${boundary}--\r\n`,
    'utf8',
  );
  return {
    contentType: `multipart/related; type="application/xop+xml"; start="${start}"; boundary="${boundary}"; start-info="text/xml"`,
    body,
  };
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  removeNSPrefix: true,
  parseTagValue: false,
  trimValues: false,
  isArray: (name) => ['DcDocument', 'DcMessage'].includes(name),
});

export type XmlValue = string | XmlObject | XmlValue[] | undefined;
export interface XmlObject {
  [name: string]: XmlValue;
}

/** The Body's operation element as plain values (namespace prefixes dropped; `xsi:nil` elements are undefined). */
export function operationOf(envelope: string): { name: string; payload: XmlObject } {
  const parsed = parser.parse(envelope) as XmlObject;
  const body = (parsed.Envelope as XmlObject | undefined)?.Body as XmlObject | undefined;
  if (!body) throw new Error('not a SOAP envelope');
  const name = Object.keys(body).find((key) => !key.startsWith('@'));
  if (!name) throw new Error('empty SOAP body');
  return { name, payload: withoutNils(body[name]) as XmlObject };
}

function withoutNils(value: XmlValue): XmlValue {
  if (Array.isArray(value)) return value.map(withoutNils);
  if (value && typeof value === 'object') {
    if (value['@nil'] === 'true') return undefined;
    const result: XmlObject = {};
    for (const [key, child] of Object.entries(value)) {
      if (!key.startsWith('@')) result[key] = withoutNils(child);
    }
    return result;
  }
  return value;
}

const builder = new XMLBuilder({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  suppressEmptyNode: true,
  suppressBooleanAttributes: false,
});

/** An element in the data-contracts namespace (prefix `a`, as WCF writes it), or `i:nil` when absent. */
export type DataContract = Record<string, unknown>;

export function nil(): DataContract {
  return { '@i:nil': 'true' };
}

/** The answer envelope of `operation`: `<{operation}Response><{operation}Result>…`. */
export function responseEnvelope(operation: string, result: unknown): string {
  const envelope = {
    's:Envelope': {
      '@xmlns:s': EDeliveryNamespace.soapEnvelope,
      's:Body': {
        [`${operation}Response`]: {
          '@xmlns': EDeliveryNamespace.integration,
          [`${operation}Result`]:
            result !== null && typeof result === 'object'
              ? {
                  '@xmlns:a': EDeliveryNamespace.dataContracts,
                  '@xmlns:i': 'http://www.w3.org/2001/XMLSchema-instance',
                  ...(result as object),
                }
              : result === null
                ? { '@xmlns:i': 'http://www.w3.org/2001/XMLSchema-instance', '@i:nil': 'true' }
                : result,
        },
      },
    },
  };
  return builder.build(envelope) as string;
}

/** A SOAP 1.1 fault with ССЕВ's text reason (its service wraps every exception in a FaultException). */
export function faultEnvelope(reason: string, code = 's:Client'): string {
  return builder.build({
    's:Envelope': {
      '@xmlns:s': EDeliveryNamespace.soapEnvelope,
      's:Body': { 's:Fault': { faultcode: code, faultstring: { '@xml:lang': 'en-US', '#text': reason } } },
    },
  }) as string;
}
