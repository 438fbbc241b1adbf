import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';

/**
 * Secrets kept at rest (a district's payment-system client secret) are sealed with AES-256-GCM
 * under a key that only the services that use them hold. The sealed form travels between those
 * services as is, so the plain secret is never in a table, a Kafka message or a log.
 * Format: `v1.<iv>.<tag>.<ciphertext>`, each part base64url.
 */
export type SealedSecret = string;

const version = 'v1';

/** The development key; refused in production like the other development secrets. */
export const developmentSecretsKey = 'development-secrets-key-000000000';

export const secretsKeySchema = z
  .string()
  .min(32)
  .default(developmentSecretsKey)
  .describe(
    'Key that seals secrets at rest (district payment-system client secrets); shared by the districts and payments services only. At least 32 characters.',
  );

function keyBytes(key: string): Buffer {
  // Any string of 32+ characters becomes a 256-bit key; a random key reads well as hex or base64.
  return createHash('sha256').update(key, 'utf8').digest();
}

export function sealSecret(key: string, plain: string): SealedSecret {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keyBytes(key), iv);
  cipher.setAAD(Buffer.from(version));
  const ciphertext = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return [version, iv, cipher.getAuthTag(), ciphertext]
    .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
    .join('.');
}

/** The plain secret; throws when the sealed value was altered or sealed under another key. */
export function openSealedSecret(key: string, sealed: SealedSecret): string {
  const [tag, iv, authTag, ciphertext] = sealed.split('.');
  if (tag !== version || !iv || !authTag || ciphertext === undefined) throw new Error('not a sealed secret');
  const decipher = createDecipheriv('aes-256-gcm', keyBytes(key), Buffer.from(iv, 'base64url'));
  decipher.setAAD(Buffer.from(version));
  decipher.setAuthTag(Buffer.from(authTag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8');
}
