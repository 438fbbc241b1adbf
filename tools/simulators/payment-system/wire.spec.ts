import { createHmac } from 'node:crypto';
import {
  loadPayEgovFixture,
  payEgovCallbackFixtureNames,
  payEgovFixtureNames,
} from '../../../contracts/fixtures/pay-egov';
import {
  callbackBody,
  decodeBase64,
  dotnetUrlEncode,
  encodeData,
  formBody,
  hmacOf,
  newtonsoftLocal,
  newtonsoftUnspecified,
  parseForm,
  parseRequestDate,
  roundTripLocal,
  statusCamelCase,
  StatusCode,
  statusName,
  yyMMdd,
} from './wire';

// The simulator's wire helpers against the contract fixtures (computed independently by
// contracts/fixtures/pay-egov/generate.mjs) and against openssl.

describe('payment system simulator wire format', () => {
  it('signs as openssl does: HMAC-SHA256 keyed with the secret string’s UTF-8 bytes, over the base64 data', () => {
    // printf '%s' "$DATA" | openssl dgst -sha256 -hmac "dev-payment-system-secret-0000" -binary | base64
    const fixture = loadPayEgovFixture('payment-json-accepted');
    expect(hmacOf('dev-payment-system-secret-0000', fixture.request.form.data)).toBe(
      'x/cAfcYwR7yWwwqdnNKIPNwhMbvkHlSlS0oN+Pkx1Fs=',
    );
  });

  it.each(payEgovFixtureNames.filter((name) => !(payEgovCallbackFixtureNames as readonly string[]).includes(name)))(
    '%s: data, hmac and body are what the simulator computes and parses',
    (name) => {
      const fixture = loadPayEgovFixture(name as 'payment-json-accepted');
      const { form, dataJson, secret, body } = fixture.request;
      expect(encodeData(dataJson)).toBe(form.data);
      expect(JSON.parse(decodeBase64(form.data)!)).toEqual(dataJson);
      const fields = parseForm(body);
      if (name === 'payment-json-body-401') {
        expect(fields.get('clientid')).toBeUndefined();
        return;
      }
      expect(fields.get('clientid')).toBe(form.clientId);
      expect(fields.get('data')).toBe(form.data);
      if (name === 'unencoded-plus-401') {
        // The raw '+' comes back as a space: the HMAC no longer matches.
        expect(fields.get('hmac')).toBe(form.hmac.replace(/\+/g, ' '));
        expect(hmacOf(secret, form.data)).toBe(form.hmac);
        return;
      }
      expect(fields.get('hmac')).toBe(form.hmac);
      expect(body).toBe(formBody({ clientId: form.clientId, hmac: form.hmac, data: form.data }));
      const signedWithOwnSecret = hmacOf(secret, form.data) === form.hmac;
      expect(signedWithOwnSecret).toBe(name !== 'wrong-hmac-401');
    },
  );

  it.each(payEgovCallbackFixtureNames)(
    '%s: the callback body is encoded as .NET’s HttpUtility.UrlEncode does',
    (name) => {
      const fixture = loadPayEgovFixture(name);
      const { form, body, dataJson, secret } = fixture.request;
      expect(encodeData(dataJson)).toBe(form.Data);
      expect(callbackBody(form)).toBe(body);
      for (const escape of body.match(/%../g) ?? []) expect(escape).toBe(escape.toLowerCase());
      if (form.Hmac !== undefined) expect(hmacOf(secret, form.Data)).toBe(form.Hmac);
      else expect(Object.keys(form)).toEqual(['ClientId', 'Data']);
    },
  );

  it('encodes like HttpUtility.UrlEncode', () => {
    expect(dotnetUrlEncode('a+b/c=d e~ä')).toBe('a%2bb%2fc%3dd+e%7e%c3%a4');
  });

  it('reads form fields case-insensitively, with + as a space', () => {
    const fields = parseForm('ClientId=x&HMAC=a+b%2Bc&data=eyJ9%3D%3d');
    expect(fields.get('clientid')).toBe('x');
    expect(fields.get('hmac')).toBe('a b+c');
    expect(fields.get('data')).toBe('eyJ9==');
  });

  it('refuses what Convert.FromBase64String refuses', () => {
    expect(decodeBase64('eyJ9')).toBe('{"}');
    expect(decodeBase64('eyJ')).toBeUndefined();
    expect(decodeBase64('ey$9')).toBeUndefined();
  });

  it('writes the three time formats of the payment system in Sofia time', () => {
    const summer = { ms: Date.parse('2026-06-21T08:05:01.123Z'), sub: 4567 };
    const winter = { ms: Date.parse('2026-12-06T10:40:05.100Z'), sub: 0 };
    expect(roundTripLocal(summer)).toBe('2026-06-21T11:05:01.1234567+03:00');
    expect(roundTripLocal(winter)).toBe('2026-12-06T12:40:05.1000000+02:00');
    expect(roundTripLocal(winter, false)).toBe('2026-12-06T12:40:05.1000000');
    expect(newtonsoftLocal(winter)).toBe('2026-12-06T12:40:05.1+02:00');
    expect(newtonsoftLocal({ ms: Date.parse('2026-12-06T10:40:05.000Z'), sub: 0 })).toBe('2026-12-06T12:40:05+02:00');
    expect(newtonsoftUnspecified(summer)).toBe('2026-06-21T11:05:01.1234567');
    expect(yyMMdd(Date.parse('2026-12-06T22:30:00Z'))).toBe('261207'); // already the 7th in Sofia
  });

  it('reads request dates as Newtonsoft does, compared in Sofia wall-clock time', () => {
    expect(parseRequestDate('2026-12-06T12:00:00')).toBe(Date.parse('2026-12-06T12:00:00Z'));
    expect(parseRequestDate('2026-12-06')).toBe(Date.parse('2026-12-06T00:00:00Z'));
    expect(parseRequestDate('2026-12-06T12:00:00+01:00')).toBe(Date.parse('2026-12-06T13:00:00Z'));
    // A UTC DateTime's digits are compared with local ones as they are.
    expect(parseRequestDate('2026-12-06T12:00:00Z')).toBe(Date.parse('2026-12-06T12:00:00Z'));
    expect(parseRequestDate('06.12.2026')).toBeUndefined();
    expect(parseRequestDate('2026-02-30')).toBeUndefined();
  });

  it('names statuses as the enum (callbacks, messages) and camelCase (status answers)', () => {
    expect(statusName(StatusCode.InProcess)).toBe('InProcess');
    expect(statusCamelCase(StatusCode.InProcess)).toBe('inProcess');
    expect(statusCamelCase(StatusCode.Paid)).toBe('paid');
  });

  it('agrees with a plain HMAC computation', () => {
    const data = encodeData({ id: '2612061' });
    expect(hmacOf('ключ', data)).toBe(createHmac('sha256', Buffer.from('ключ', 'utf8')).update(data).digest('base64'));
  });
});
