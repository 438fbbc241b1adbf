import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { calculateJwkThumbprint, type JWK } from 'jose';
import { ConfigError, serviceIdentityFiles } from '@umg/config';
import type { ServiceName } from './service-token';

/** This service's signing key, and the public keys of the services it accepts calls from, by key id. */
export interface ServiceIdentity {
  service: ServiceName;
  privateKey: KeyObject;
  keyId: string;
  trustedKeys: Map<string, { service: ServiceName; key: KeyObject }>;
}

/** A key's id: its RFC 7638 thumbprint, so no one has to hand out ids and a new key is a new id. */
export function keyIdOf(key: KeyObject): Promise<string> {
  const publicKey = key.type === 'private' ? createPublicKey(key) : key;
  return calculateJwkThumbprint(publicKey.export({ format: 'jwk' }) as JWK);
}

/**
 * Reads `<dir>/<service>/identity.key.pem` (this service's P-256 key) and every
 * `<dir>/<caller>/identity*.public.pem` of the callers it accepts (several per caller while a key rotates; the folder may hold the caller's other keys, e.g. its exchange-log key).
 * Anything missing or of the wrong kind is a config error: the service must not start half-trusting.
 */
export async function loadServiceIdentity(
  dir: string | undefined,
  service: ServiceName,
  acceptedCallers: readonly ServiceName[],
): Promise<ServiceIdentity> {
  if (!dir) {
    throw new ConfigError([
      'SERVICE_IDENTITY_DIR: required, the folder of service identity keys (npm run pki -- init makes them)',
    ]);
  }
  const problems: string[] = [];
  const own = serviceIdentityFiles(dir, service);
  let privateKey: KeyObject | undefined;
  try {
    privateKey = p256(createPrivateKey(readFileSync(own.privateKey)), own.privateKey);
  } catch (error) {
    problems.push(`SERVICE_IDENTITY_DIR: ${own.privateKey}: ${(error as Error).message}`);
  }
  const trustedKeys = new Map<string, { service: ServiceName; key: KeyObject }>();
  for (const caller of acceptedCallers) {
    const callerDir = join(dir, caller);
    const files = existsSync(callerDir)
      ? readdirSync(callerDir).filter((name) => /^identity.*\.public\.pem$/.test(name))
      : [];
    if (files.length === 0)
      problems.push(`SERVICE_IDENTITY_DIR: no ${callerDir}/identity*.public.pem of caller ${caller}`);
    for (const file of files.sort()) {
      try {
        const key = p256(createPublicKey(readFileSync(join(callerDir, file))), join(callerDir, file));
        trustedKeys.set(await keyIdOf(key), { service: caller, key });
      } catch (error) {
        problems.push(`SERVICE_IDENTITY_DIR: ${join(callerDir, file)}: ${(error as Error).message}`);
      }
    }
  }
  if (problems.length > 0 || !privateKey) throw new ConfigError(problems);
  return { service, privateKey, keyId: await keyIdOf(privateKey), trustedKeys };
}

function p256(key: KeyObject, file: string): KeyObject {
  if (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
    throw new Error(`${file} is not a P-256 (ES256) key`);
  }
  return key;
}
