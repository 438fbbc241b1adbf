import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ConfigError } from '@umg/config';

export interface KeyringKey {
  id: string;
  key: Buffer;
}

/** The keys that seal district secrets: the first seals, every one opens what it sealed. */
export interface DistrictSecretKeyring {
  current: KeyringKey;
  byId: Map<string, KeyringKey>;
}

/** What a stored secret is bound to: a sealed value moved to another row or version does not open. */
export interface SealContext {
  districtCode: string;
  version: number;
}

/** The development key; refused in production. */
export const developmentKeyringLine = 'development-1 development-district-secrets-key-0000000000';

const keyIdForm = /^[a-z0-9][a-z0-9._-]{0,31}$/;

function keyringFromText(text: string, source: string): DistrictSecretKeyring {
  const keys: KeyringKey[] = [];
  const issues: string[] = [];
  text.split('\n').forEach((raw, index) => {
    const line = raw.trim();
    if (!line || line.startsWith('#')) return;
    const [id, key, ...rest] = line.split(/\s+/);
    if (!id || !keyIdForm.test(id) || !key || key.length < 32 || rest.length > 0) {
      issues.push(`${source} line ${index + 1}: expected "<key id> <key of 32+ characters>"`);
      return;
    }
    if (keys.some((known) => known.id === id)) issues.push(`${source} line ${index + 1}: key id ${id} twice`);
    // Any 32+ character string becomes a 256-bit key, as the other sealed secrets do.
    keys.push({ id, key: createHash('sha256').update(key, 'utf8').digest() });
  });
  if (keys.length === 0) issues.push(`${source}: no key`);
  if (issues.length > 0) throw new ConfigError(issues);
  return { current: keys[0]!, byId: new Map(keys.map((key) => [key.id, key])) };
}

/**
 * The keyring of DISTRICT_SECRETS_KEYRING_FILE; outside production without one, the development
 * key. Production needs the file and refuses the development key in it.
 */
export function readDistrictSecretKeyring(config: {
  NODE_ENV: string;
  DISTRICT_SECRETS_KEYRING_FILE?: string;
}): DistrictSecretKeyring {
  const file = config.DISTRICT_SECRETS_KEYRING_FILE;
  if (!file) {
    if (config.NODE_ENV === 'production') {
      throw new ConfigError([
        'DISTRICT_SECRETS_KEYRING_FILE: required in production (the keys sealing district secrets)',
      ]);
    }
    return keyringFromText(developmentKeyringLine, 'the development keyring');
  }
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError([`DISTRICT_SECRETS_KEYRING_FILE: cannot read ${file}: ${(error as Error).message}`]);
  }
  if (config.NODE_ENV === 'production' && text.includes(developmentKeyringLine.split(' ')[1]!)) {
    throw new ConfigError(['DISTRICT_SECRETS_KEYRING_FILE: the development key is refused in production']);
  }
  return keyringFromText(text, 'DISTRICT_SECRETS_KEYRING_FILE');
}

function additionalData(keyId: string, context: SealContext): Buffer {
  return Buffer.from(`umg-district-secret|${keyId}|${context.districtCode}|${context.version}`);
}

/** AES-256-GCM under the keyring's current key: `<iv>.<tag>.<ciphertext>`, base64url. */
export function sealDistrictSecret(
  keyring: DistrictSecretKeyring,
  plain: string,
  context: SealContext,
): { keyId: string; sealed: string } {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keyring.current.key, iv);
  cipher.setAAD(additionalData(keyring.current.id, context));
  const ciphertext = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return {
    keyId: keyring.current.id,
    sealed: [iv, cipher.getAuthTag(), ciphertext].map((part) => part.toString('base64url')).join('.'),
  };
}

/** The plain secret; throws when its key is not in the keyring or the value was altered or moved. */
export function openDistrictSecret(
  keyring: DistrictSecretKeyring,
  keyId: string,
  sealed: string,
  context: SealContext,
): string {
  const key = keyring.byId.get(keyId);
  if (!key) throw new Error(`the key ${keyId} that sealed this secret is not in the keyring`);
  const [iv, tag, ciphertext] = sealed.split('.');
  if (!iv || !tag || ciphertext === undefined) throw new Error('not a sealed district secret');
  const decipher = createDecipheriv('aes-256-gcm', key.key, Buffer.from(iv, 'base64url'));
  decipher.setAAD(additionalData(keyId, context));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8');
}

/**
 * A short fingerprint an operator and the district can compare (the first 12 hex digits of the
 * secret's SHA-256); secrets are at least 32 characters, so it does not help guessing them.
 */
export function secretFingerprint(plain: string): string {
  return createHash('sha256').update(plain, 'utf8').digest('hex').slice(0, 12);
}
