import { hashPassword, hashSecret, needsRehash, verifySecret } from './secret-hash';

describe('secret hash', () => {
  it('verifies the secret it hashed and nothing else', async () => {
    const stored = await hashSecret('correct horse battery staple');
    expect(stored).toMatch(/^scrypt\$16384\$8\$1\$/);
    expect(stored).not.toContain('correct horse');
    await expect(verifySecret('correct horse battery staple', stored)).resolves.toBe(true);
    await expect(verifySecret('correct horse battery stapler', stored)).resolves.toBe(false);
  });

  it('salts every hash', async () => {
    expect(await hashSecret('same')).not.toBe(await hashSecret('same'));
  });

  it('never matches a malformed hash', async () => {
    await expect(verifySecret('x', 'plain-text-secret')).resolves.toBe(false);
  });
});

describe('operator password hash (security review F13)', () => {
  it('uses OWASP scrypt parameters (N=2^14, r=8, p=5) and verifies', async () => {
    const stored = await hashPassword('correct horse battery staple');
    expect(stored).toMatch(/^scrypt\$16384\$8\$5\$/);
    await expect(verifySecret('correct horse battery staple', stored)).resolves.toBe(true);
    expect(needsRehash(stored)).toBe(false);
  });

  it('asks for a rehash of a hash made with the old parameters', async () => {
    const old = await hashSecret('correct horse battery staple');
    expect(old).toMatch(/^scrypt\$16384\$8\$1\$/);
    expect(needsRehash(old)).toBe(true);
  });
});
