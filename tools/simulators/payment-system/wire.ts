import { createHmac, timingSafeEqual } from 'node:crypto';

// The simulator's own implementation of the wire format, kept apart from the payments service's
// so that each is checked against the same fixed vectors rather than against the other.

export interface Envelope {
  ClientId: string;
  Hmac: string;
  Data: string;
}

export function envelope(clientId: string, secret: string, payload: unknown): Envelope {
  const data = Buffer.from(JSON.stringify(payload), 'utf8').toString('base64');
  return { ClientId: clientId, Hmac: createHmac('sha256', secret).update(data).digest('base64'), Data: data };
}

export function verifyEnvelope(message: Envelope, secret: string): boolean {
  const expected = createHmac('sha256', secret).update(message.Data).digest();
  const given = Buffer.from(message.Hmac, 'base64');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export function openEnvelope(message: Envelope): unknown {
  try {
    return JSON.parse(Buffer.from(message.Data, 'base64').toString('utf8'));
  } catch {
    return undefined;
  }
}

/** The payment system's status codes. */
export const StatusCode = {
  Pending: 1,
  Authorized: 2,
  Ordered: 3,
  Paid: 4,
  Expired: 5,
  Canceled: 6,
  Suspended: 7,
  InProcess: 9,
} as const;
export type StatusCodeValue = (typeof StatusCode)[keyof typeof StatusCode];
