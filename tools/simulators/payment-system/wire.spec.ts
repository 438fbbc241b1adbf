import { envelope, openEnvelope, verifyEnvelope } from './wire';

// The same fixed vectors as services/payments/src/payment-system/egov-signature.spec.ts,
// computed with openssl: printf '%s' "$DATA" | openssl dgst -sha256 -hmac "$SECRET" -binary | base64
const secret = 'test-secret-for-vectors-0001';

describe('payment system simulator wire format', () => {
  it('signs as the fixed vectors say', () => {
    expect(
      envelope('c', secret, {
        Id: '4f6d1b2a-0c9e-4e7d-8a5b-3c2d1e0f9a8b',
        Status: 4,
        ChangeTime: '2026-03-12T10:42:00+02:00',
      }),
    ).toEqual({
      ClientId: 'c',
      Data: 'eyJJZCI6IjRmNmQxYjJhLTBjOWUtNGU3ZC04YTViLTNjMmQxZTBmOWE4YiIsIlN0YXR1cyI6NCwiQ2hhbmdlVGltZSI6IjIwMjYtMDMtMTJUMTA6NDI6MDArMDI6MDAifQ==',
      Hmac: '9xR8wk/wqywjJUG+SJMHR7YA3zy0NP9KKs8C2s/EQao=',
    });
    expect(envelope('c', secret, { ApplicantName: 'Иван Петров' }).Hmac).toBe(
      'eMGaUd6tkIg+yMyYdbBjdhhSm5UzjIGoJQBhnZ04Xmw=',
    );
  });

  it('verifies a fixed vector and refuses a tampered one', () => {
    const message = {
      ClientId: 'c',
      Data: 'eyJBaXNQYXltZW50SWQiOiJTT0YtMDUtMDAwMDAwMDAwMSJ9',
      Hmac: '09DvMxHQVH5nLPM5kGZ6M1jQjwNlYRvqR50fNtwQ59Y=',
    };
    expect(verifyEnvelope(message, secret)).toBe(true);
    expect(openEnvelope(message)).toEqual({ AisPaymentId: 'SOF-05-0000000001' });
    expect(verifyEnvelope({ ...message, Hmac: message.Hmac.replace('0', '1') }, secret)).toBe(false);
    expect(verifyEnvelope(message, 'another-secret')).toBe(false);
  });
});
