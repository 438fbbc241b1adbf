import { createHash, createPrivateKey, createPublicKey, type KeyObject, sign, verify } from 'node:crypto';
import { readFileSync } from 'node:fs';

/** A short, stable name of a public key: the first 16 hex digits of SHA-256 over its SPKI DER. */
export function keyIdOf(publicKey: KeyObject): string {
  return createHash('sha256')
    .update(publicKey.export({ type: 'spki', format: 'der' }))
    .digest('hex')
    .slice(0, 16);
}

/**
 * Signs with one service's Ed25519 private key. Only that service holds it; verifiers hold the
 * public key, so checking a chain gives no power to rewrite it.
 */
export class ExchangeLogSigner {
  readonly keyId: string;

  constructor(private readonly privateKey: KeyObject) {
    if (privateKey.asymmetricKeyType !== 'ed25519') {
      throw new Error(`the exchange-log key must be Ed25519, not ${privateKey.asymmetricKeyType ?? 'unknown'}`);
    }
    this.keyId = keyIdOf(createPublicKey(privateKey));
  }

  static fromPemFile(file: string): ExchangeLogSigner {
    return new ExchangeLogSigner(createPrivateKey(readFileSync(file)));
  }

  /** Base64url Ed25519 signature over the hex hash's bytes. */
  sign(hashHex: string): string {
    return sign(null, Buffer.from(hashHex, 'hex'), this.privateKey).toString('base64url');
  }
}

export function verifySignature(publicKey: KeyObject, hashHex: string, signature: string): boolean {
  try {
    return verify(null, Buffer.from(hashHex, 'hex'), publicKey, Buffer.from(signature, 'base64url'));
  } catch {
    return false;
  }
}

/** Public keys by key id, as a verifier holds them. */
export type PublicKeys = ReadonlyMap<string, KeyObject>;

export function publicKeysOf(pems: readonly (string | Buffer)[]): Map<string, KeyObject> {
  const keys = new Map<string, KeyObject>();
  for (const pem of pems) {
    const key = createPublicKey(pem);
    keys.set(keyIdOf(key), key);
  }
  return keys;
}
