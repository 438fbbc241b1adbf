import { createHmac, timingSafeEqual } from 'node:crypto';

/** Headers of a signed exchange between the gateway and a district's back office, both ways. */
export const SignatureHeaders = {
  timestamp: 'x-umg-timestamp',
  signature: 'x-umg-signature',
} as const;

/** How far a signed timestamp may be from our clock: stops replays of old captured messages. */
const maxSkewSeconds = 300;

/** `sha256=` + hex HMAC-SHA256 over `<unix seconds>.<raw body>`, with the district's secret. */
export function signature(secret: string, timestamp: string, body: string | Buffer): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest('hex')}`;
}

export function signedHeaders(secret: string, body: string, now = new Date()): Record<string, string> {
  const timestamp = String(Math.floor(now.getTime() / 1000));
  return { 'X-UMG-Timestamp': timestamp, 'X-UMG-Signature': signature(secret, timestamp, body) };
}

export function verifySignature(
  secret: string,
  timestamp: string | undefined,
  given: string | undefined,
  body: Buffer | string,
  now = new Date(),
): boolean {
  if (!timestamp || !given || !/^\d{1,12}$/.test(timestamp)) return false;
  if (Math.abs(now.getTime() / 1000 - Number(timestamp)) > maxSkewSeconds) return false;
  const expected = Buffer.from(signature(secret, timestamp, body));
  const actual = Buffer.from(given);
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}
