import { randomUUID } from 'node:crypto';
import { currentCorrelation } from '@umg/logging';
import { traceHeaders } from '@umg/tracing';

/** Headers of the CloudEvents Kafka binding (binary mode) plus W3C trace context. */
export type MessageHeaders = Record<string, string>;

export interface CloudEventAttributes {
  id?: string;
  type: string;
  source: string;
  time?: Date;
  /**
   * CloudEvents extension attributes, sent as `ce_<name>` headers: names of lowercase letters and
   * digits (the spec's rule), none of the attributes set here. E.g. `umgstatus` (see `statusExtension`).
   */
  extensions?: Record<string, string>;
}

/**
 * The extension naming the status an event reports (the application's, payment's or delivery's new
 * status), so a consumer can skip what it ignores from the headers alone, before any database work.
 */
export const statusExtension = 'umgstatus';

const reservedAttributes = new Set(['specversion', 'id', 'type', 'source', 'time', 'correlationid', 'subject']);

/** The headers of extension attributes; a bad name is a programming error, thrown before anything is written. */
export function extensionHeaders(extensions: Record<string, string> | undefined): MessageHeaders {
  const headers: MessageHeaders = {};
  for (const [name, value] of Object.entries(extensions ?? {})) {
    if (!/^[a-z0-9]{1,20}$/.test(name) || reservedAttributes.has(name)) {
      throw new Error(`"${name}" is not a CloudEvents extension name this outbox may set`);
    }
    headers[`ce_${name}`] = value;
  }
  return headers;
}

/**
 * Builds the headers of an outgoing message, carrying the current correlation id and trace context
 * (of the request or message being handled) along. Stored with the outbox row, so the relay can
 * publish the message as part of the trace that caused it, however much later it runs.
 */
export function cloudEventHeaders(attributes: CloudEventAttributes): MessageHeaders {
  const context = currentCorrelation();
  return {
    ce_specversion: '1.0',
    ce_id: attributes.id ?? randomUUID(),
    ce_type: attributes.type,
    ce_source: attributes.source,
    ce_time: (attributes.time ?? new Date()).toISOString(),
    'content-type': 'application/json',
    ce_correlationid: context?.correlationId ?? randomUUID(),
    ...traceHeaders(),
    ...extensionHeaders(attributes.extensions),
  };
}

/**
 * Text from the wire as PostgreSQL can store it: `text` and `jsonb` refuse U+0000, so a NUL in a
 * header or key would make even dead-lettering the message fail and block its partition.
 */
export function storableText(value: string): string {
  return value.includes('\u0000') ? value.replaceAll('\u0000', '\uFFFD') : value;
}

/** Kafka header values arrive as Buffers (or arrays of them); we use the first as text. */
export function readHeaders(
  raw: Record<string, Buffer | string | (Buffer | string)[] | undefined> | undefined,
): MessageHeaders {
  const headers: MessageHeaders = {};
  for (const [name, value] of Object.entries(raw ?? {})) {
    const first = Array.isArray(value) ? value[0] : value;
    if (first !== undefined) headers[storableText(name)] = storableText(first.toString());
  }
  return headers;
}
