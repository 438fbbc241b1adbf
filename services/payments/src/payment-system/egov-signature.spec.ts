import { decodeData, hmacMatches, hmacOf, sign } from './egov-signature';

// Fixed vectors, computed once independently with
//   printf '%s' "$DATA" | openssl dgst -sha256 -hmac "$SECRET" -binary | base64
const secret = 'test-secret-for-vectors-0001';
const vectors = [
  {
    payload: { Id: '4f6d1b2a-0c9e-4e7d-8a5b-3c2d1e0f9a8b', Status: 4, ChangeTime: '2026-03-12T10:42:00+02:00' },
    data: 'eyJJZCI6IjRmNmQxYjJhLTBjOWUtNGU3ZC04YTViLTNjMmQxZTBmOWE4YiIsIlN0YXR1cyI6NCwiQ2hhbmdlVGltZSI6IjIwMjYtMDMtMTJUMTA6NDI6MDArMDI6MDAifQ==',
    hmac: '9xR8wk/wqywjJUG+SJMHR7YA3zy0NP9KKs8C2s/EQao=',
  },
  {
    payload: { AisPaymentId: 'SOF-05-0000000001' },
    data: 'eyJBaXNQYXltZW50SWQiOiJTT0YtMDUtMDAwMDAwMDAwMSJ9',
    hmac: '09DvMxHQVH5nLPM5kGZ6M1jQjwNlYRvqR50fNtwQ59Y=',
  },
  {
    // Cyrillic: the JSON is UTF-8 before base64.
    payload: { ApplicantName: 'Иван Петров' },
    data: 'eyJBcHBsaWNhbnROYW1lIjoi0JjQstCw0L0g0J/QtdGC0YDQvtCyIn0=',
    hmac: 'eMGaUd6tkIg+yMyYdbBjdhhSm5UzjIGoJQBhnZ04Xmw=',
  },
];

describe('eGov payment system signature', () => {
  it.each(vectors)('signs $data as the fixed vector says', ({ payload, data, hmac }) => {
    expect(sign('sofia-umg', secret, payload)).toEqual({ clientId: 'sofia-umg', data, hmac });
    expect(hmacOf(data, secret)).toBe(hmac);
  });

  it.each(vectors)('verifies the fixed vector and decodes its data', ({ payload, data, hmac }) => {
    expect(hmacMatches(data, hmac, secret)).toBe(true);
    expect(decodeData(data)).toEqual(payload);
  });

  it('refuses another secret, a changed Data, and a truncated or malformed HMAC', () => {
    const { data, hmac } = vectors[0]!;
    expect(hmacMatches(data, hmac, 'another-secret-entirely-000')).toBe(false);
    expect(hmacMatches(vectors[1]!.data, hmac, secret)).toBe(false);
    expect(hmacMatches(data, hmac.slice(0, 20), secret)).toBe(false);
    expect(hmacMatches(data, 'not base64 at all!', secret)).toBe(false);
    expect(hmacMatches(data, '', secret)).toBe(false);
  });

  it('decodes nothing from data that is not base64 JSON', () => {
    expect(decodeData('not-base64!')).toBeUndefined();
    expect(decodeData(Buffer.from('{not json').toString('base64'))).toBeUndefined();
    expect(decodeData('abc')).toBeUndefined();
  });
});
