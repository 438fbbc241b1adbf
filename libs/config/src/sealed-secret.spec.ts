import { openSealedSecret, sealSecret } from './sealed-secret';

const key = 'a-test-key-of-at-least-thirty-two-chars';

describe('sealed secrets', () => {
  it('opens what it sealed, and seals the same secret differently each time', () => {
    const first = sealSecret(key, 'client-secret-Ж-1');
    const second = sealSecret(key, 'client-secret-Ж-1');
    expect(first).not.toBe(second);
    expect(first).not.toContain('client-secret');
    expect(openSealedSecret(key, first)).toBe('client-secret-Ж-1');
    expect(openSealedSecret(key, second)).toBe('client-secret-Ж-1');
  });

  it('refuses another key, an altered ciphertext and a malformed value', () => {
    const sealed = sealSecret(key, 'secret');
    expect(() => openSealedSecret('another-key-of-at-least-thirty-two-chars', sealed)).toThrow();
    const parts = sealed.split('.');
    parts[3] = Buffer.from('SECRET').toString('base64url');
    expect(() => openSealedSecret(key, parts.join('.'))).toThrow();
    expect(() => openSealedSecret(key, 'plain-text')).toThrow('not a sealed secret');
  });
});
