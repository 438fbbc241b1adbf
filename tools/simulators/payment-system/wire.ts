import { createHmac } from 'node:crypto';

// The simulator's own implementation of pay-egov's wire format, written from the state's source
// (see docs/pay-egov-wire.md) and checked against contracts/fixtures/pay-egov — never shared with
// the payments service's client, so that the two cannot merely agree with each other.

/** base64 of HMAC-SHA256 over the base64 `data` string, keyed with the UTF-8 bytes of the secret (HmacRequestHelper.cs). */
export function hmacOf(secret: string, data: string): string {
  return createHmac('sha256', Buffer.from(secret, 'utf8')).update(data, 'utf8').digest('base64');
}

/** `data`: base64 of the UTF-8 JSON. */
export function encodeData(json: unknown): string {
  return Buffer.from(JSON.stringify(json), 'utf8').toString('base64');
}

/** Convert.FromBase64String then UTF-8, or undefined where .NET would throw. */
export function decodeBase64(data: string): string | undefined {
  const compact = data.replace(/[\s]/g, '');
  if (compact.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(compact)) return undefined;
  return Buffer.from(compact, 'base64').toString('utf8');
}

/**
 * HttpUtility.ParseQueryString as the authorisation filter reads the body: keys case-insensitive
 * (the first value wins here; .NET joins repeats with commas), '+' is a space, the value runs
 * from the first '='. A JSON body yields no usable field.
 */
export function parseForm(body: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const pair of body.split('&')) {
    if (pair === '') continue;
    const at = pair.indexOf('=');
    const key = decodeFormComponent(at < 0 ? '' : pair.slice(0, at)).toLowerCase();
    const value = decodeFormComponent(at < 0 ? pair : pair.slice(at + 1));
    if (!fields.has(key)) fields.set(key, value);
  }
  return fields;
}

function decodeFormComponent(text: string): string {
  const spaced = text.replace(/\+/g, ' ');
  try {
    return decodeURIComponent(spaced);
  } catch {
    // .NET leaves malformed escapes as they are.
    return spaced;
  }
}

/** What our side sends: RFC 3986 percent-encoding. */
export function formBody(fields: Record<string, string>): string {
  return Object.entries(fields)
    .map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(value)}`)
    .join('&');
}

/** .NET Framework's HttpUtility.UrlEncode, which the payment system's callbacks use: lower-case hex, space as '+'. */
export function dotnetUrlEncode(value: string): string {
  let out = '';
  for (const byte of Buffer.from(value, 'utf8')) {
    const char = String.fromCharCode(byte);
    if (/[A-Za-z0-9\-_.!*()]/.test(char)) out += char;
    else if (char === ' ') out += '+';
    else out += `%${byte.toString(16).padStart(2, '0')}`;
  }
  return out;
}

/** The callback form body, field names PascalCase, values encoded as .NET does. */
export function callbackBody(fields: { ClientId: string; Hmac?: string; Data: string }): string {
  return Object.entries(fields)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => `${key}=${dotnetUrlEncode(value as string)}`)
    .join('&');
}

/** PaymentRequestStatus.cs: no 8. */
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
export type StatusName = keyof typeof StatusCode;
export type StatusCodeValue = (typeof StatusCode)[StatusName];

/** The C# enum name: what callbacks and error messages carry ("Paid", "InProcess"). */
export function statusName(code: StatusCodeValue): StatusName {
  return (Object.keys(StatusCode) as StatusName[]).find((name) => StatusCode[name] === code)!;
}

/** What `paymentsStatus` answers: StringEnumConverter with CamelCaseText ("paid", "inProcess"). */
export function statusCamelCase(code: StatusCodeValue): string {
  const name = statusName(code);
  return name.charAt(0).toLowerCase() + name.slice(1);
}

/** PaidStatusPaymentMethod.cs. */
export const PaidMethod = { Other: 1, CashDesk: 2 } as const;

/**
 * An instant with .NET's 100 ns resolution: `ms` since the epoch plus `sub` (0–9999) ten-thousandths
 * of a millisecond, so that times can carry the seven fractional digits the payment system writes.
 */
export interface Instant {
  ms: number;
  sub: number;
}

const sofiaParts = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/Sofia',
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

/** The Sofia wall-clock time of `ms`, as milliseconds of a UTC date with the same digits. */
export function sofiaWallMs(ms: number): number {
  const parts = Object.fromEntries(sofiaParts.formatToParts(new Date(ms)).map((part) => [part.type, part.value]));
  const whole = Date.UTC(
    Number(parts.year),
    Number(parts.month) - 1,
    Number(parts.day),
    Number(parts.hour),
    Number(parts.minute),
    Number(parts.second),
  );
  return whole + (((ms % 1000) + 1000) % 1000);
}

function wallText(instant: Instant): { date: string; seconds: string; fraction: string; offset: string } {
  const wall = sofiaWallMs(instant.ms);
  const iso = new Date(wall).toISOString(); // wall digits, 'Z' meaningless
  const offsetMinutes = Math.round((wall - instant.ms) / 60_000);
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  return {
    date: iso.slice(0, 10),
    seconds: iso.slice(11, 19),
    fraction: `${iso.slice(20, 23)}${String(instant.sub).padStart(4, '0')}`,
    offset: `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`,
  };
}

/** DateTime.Now.ToString("o"): seven fractional digits and the server's offset (callback ChangeTime). */
export function roundTripLocal(instant: Instant, withOffset = true): string {
  const t = wallText(instant);
  return `${t.date}T${t.seconds}.${t.fraction}${withOffset ? t.offset : ''}`;
}

/** Newtonsoft's IsoDateFormat of DateTime.Now (receipts): trailing zeros of the fraction dropped, offset kept. */
export function newtonsoftLocal(instant: Instant): string {
  const t = wallText(instant);
  const fraction = t.fraction.replace(/0+$/, '');
  return `${t.date}T${t.seconds}${fraction ? `.${fraction}` : ''}${t.offset}`;
}

/** Newtonsoft's IsoDateFormat of a DATETIME2 read back (status answers): no offset. */
export function newtonsoftUnspecified(instant: Instant): string {
  const t = wallText(instant);
  const fraction = t.fraction.replace(/0+$/, '');
  return `${t.date}T${t.seconds}${fraction ? `.${fraction}` : ''}`;
}

/** Formatter.DateToShortFormat(DateTime.Now): the id prefix, in Sofia. */
export function yyMMdd(ms: number): string {
  const iso = new Date(sofiaWallMs(ms)).toISOString();
  return `${iso.slice(2, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}`;
}

/**
 * A date of a request (expirationDate …) as Newtonsoft reads it, in Sofia wall-clock milliseconds:
 * no zone → local; an offset → converted to local; 'Z' → a UTC DateTime, whose digits .NET then
 * compares with DateTime.Now's as if both were local. Undefined where the parse would fail.
 */
export function parseRequestDate(text: string): number | undefined {
  const match =
    /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7}))?)?)?(Z|[+-]\d{2}:?\d{2})?$/.exec(text);
  if (!match) return undefined;
  const [, y, mo, d, h = '0', mi = '0', s = '0', f = '0', zone] = match;
  const wall = Date.UTC(
    Number(y),
    Number(mo) - 1,
    Number(d),
    Number(h),
    Number(mi),
    Number(s),
    Number(f.padEnd(3, '0').slice(0, 3)),
  );
  if (Number.isNaN(wall) || new Date(wall).getUTCDate() !== Number(d)) return undefined;
  if (!zone || zone === 'Z') return wall;
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  const offset = sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4)));
  return sofiaWallMs(wall - offset * 60_000);
}
