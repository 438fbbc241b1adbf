import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  developmentKeyringLine,
  openDistrictSecret,
  readDistrictSecretKeyring,
  sealDistrictSecret,
  secretFingerprint,
} from './district-secret-keyring';

function keyringFile(text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'keyring-')), 'keyring');
  writeFileSync(file, text);
  return file;
}

describe('district secret keyring', () => {
  const context = { districtCode: 'sredets', version: 2 };

  it('seals with the first key and opens with the key named by its id after a key rotation', () => {
    const old = readDistrictSecretKeyring({
      NODE_ENV: 'test',
      DISTRICT_SECRETS_KEYRING_FILE: keyringFile('k1 first-key-of-thirty-two-characters-x\n'),
    });
    const sealed = sealDistrictSecret(old, 'the district secret, long enough', context);
    expect(sealed.keyId).toBe('k1');
    expect(sealed.sealed).not.toContain('district secret');
    const rotated = readDistrictSecretKeyring({
      NODE_ENV: 'test',
      DISTRICT_SECRETS_KEYRING_FILE: keyringFile(
        '# newest first\nk2 second-key-of-thirty-two-characters-y\nk1 first-key-of-thirty-two-characters-x\n',
      ),
    });
    expect(rotated.current.id).toBe('k2');
    expect(openDistrictSecret(rotated, sealed.keyId, sealed.sealed, context)).toBe('the district secret, long enough');
  });

  it('refuses a value moved to another district or version, altered, or sealed under an unknown key', () => {
    const keyring = readDistrictSecretKeyring({ NODE_ENV: 'test' });
    const { keyId, sealed } = sealDistrictSecret(keyring, 'secret-value', context);
    expect(() => openDistrictSecret(keyring, keyId, sealed, { ...context, districtCode: 'oborishte' })).toThrow();
    expect(() => openDistrictSecret(keyring, keyId, sealed, { ...context, version: 3 })).toThrow();
    expect(() => openDistrictSecret(keyring, keyId, `${sealed.slice(0, -2)}AA`, context)).toThrow();
    expect(() => openDistrictSecret(keyring, 'other', sealed, context)).toThrow(/not in the keyring/);
  });

  it('needs a keyring file in production and refuses the development key there', () => {
    expect(() => readDistrictSecretKeyring({ NODE_ENV: 'production' })).toThrow(/required in production/);
    expect(() =>
      readDistrictSecretKeyring({
        NODE_ENV: 'production',
        DISTRICT_SECRETS_KEYRING_FILE: keyringFile(`${developmentKeyringLine}\n`),
      }),
    ).toThrow(/development key/);
    expect(() =>
      readDistrictSecretKeyring({ NODE_ENV: 'production', DISTRICT_SECRETS_KEYRING_FILE: keyringFile('k1 short\n') }),
    ).toThrow(/32\+ characters/);
  });

  it('fingerprints a secret with 12 hex digits', () => {
    expect(secretFingerprint('abc')).toMatch(/^[0-9a-f]{12}$/);
    expect(secretFingerprint('abc')).not.toBe(secretFingerprint('abd'));
  });
});
