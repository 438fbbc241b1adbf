import { signature, signedHeaders, verifySignature } from './hmac-signature';

describe('HMAC signature of back-office exchanges', () => {
  const now = new Date('2026-03-12T10:00:00Z');

  it('verifies what it signed', () => {
    const headers = signedHeaders('s3cret', '{"a":1}', now);
    expect(verifySignature('s3cret', headers['X-UMG-Timestamp'], headers['X-UMG-Signature'], '{"a":1}', now)).toBe(
      true,
    );
  });

  it('refuses another secret, a changed body and a stale timestamp', () => {
    const headers = signedHeaders('s3cret', '{"a":1}', now);
    const ts = headers['X-UMG-Timestamp'];
    expect(verifySignature('other', ts, headers['X-UMG-Signature'], '{"a":1}', now)).toBe(false);
    expect(verifySignature('s3cret', ts, headers['X-UMG-Signature'], '{"a":2}', now)).toBe(false);
    const later = new Date(now.getTime() + 301_000);
    expect(verifySignature('s3cret', ts, headers['X-UMG-Signature'], '{"a":1}', later)).toBe(false);
    expect(verifySignature('s3cret', undefined, headers['X-UMG-Signature'], '{"a":1}', now)).toBe(false);
  });

  it('is sha256= and 64 hex digits', () => {
    expect(signature('k', '1', 'b')).toMatch(/^sha256=[0-9a-f]{64}$/);
  });
});
