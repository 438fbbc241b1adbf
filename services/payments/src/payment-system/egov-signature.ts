import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The eGov payment system's envelope of a call (the form fields `clientId`, `hmac`, `data`):
 * `data` is base64 of the UTF-8 JSON, `hmac` is base64 HMAC-SHA256 over the `data` string (not
 * the JSON) keyed with the UTF-8 bytes of the client's secret as issued
 * (pay-egov `EPayments.Common/Helpers/HmacRequestHelper.cs`).
 */
export interface SignedForm {
  clientId: string;
  hmac: string;
  data: string;
}

export function hmacOf(data: string, secret: string): string {
  return createHmac('sha256', secret).update(data, 'utf8').digest('base64');
}

export function sign(clientId: string, secret: string, payload: unknown): SignedForm {
  const data = Buffer.from(JSON.stringify(payload), 'utf8').toString('base64');
  return { clientId, hmac: hmacOf(data, secret), data };
}

/** The form body: URLSearchParams percent-encodes base64's `+ / =`, as the form parser needs. */
export function formBody(form: SignedForm): string {
  return new URLSearchParams({ clientId: form.clientId, hmac: form.hmac, data: form.data }).toString();
}

/** Constant-time check of an HMAC; a malformed one is simply not valid. */
export function hmacMatches(data: string, hmac: string, secret: string): boolean {
  const expected = Buffer.from(hmacOf(data, secret), 'base64');
  const given = Buffer.from(hmac, 'base64');
  // timingSafeEqual needs equal lengths; the length of an HMAC-SHA256 is no secret.
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** Decodes `Data` to its JSON value; undefined when it is not base64 of JSON. */
export function decodeData(data: string): unknown {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(data) || data.length % 4 !== 0) return undefined;
  try {
    return JSON.parse(Buffer.from(data, 'base64').toString('utf8'));
  } catch {
    return undefined;
  }
}
