import { createHmac, timingSafeEqual } from 'node:crypto';

/** The gateway's signing scheme as a back office implements it: HMAC-SHA256 over `<timestamp>.<body>`. */
export function sign(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

export function verify(
  secret: string,
  timestamp: string | undefined,
  given: string | undefined,
  body: string,
): boolean {
  if (!timestamp || !given || Math.abs(Date.now() / 1000 - Number(timestamp)) > 300) return false;
  const expected = Buffer.from(sign(secret, timestamp, body));
  const actual = Buffer.from(given);
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

export function signedHeaders(secret: string, body: string): Record<string, string> {
  const timestamp = String(Math.floor(Date.now() / 1000));
  return { 'X-UMG-Timestamp': timestamp, 'X-UMG-Signature': sign(secret, timestamp, body) };
}
