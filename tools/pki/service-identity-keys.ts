import { generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { serviceIdentityFiles, serviceNames } from '@umg/config';

/** The identity folder inside a PKI folder: one sub-folder per service. */
export function serviceIdentityDir(pkiDir: string): string {
  return join(pkiDir, 'services');
}

/**
 * Gives every service that lacks one its own ES256 key pair:
 * `services/<service>/identity.key.pem` (private, 0600) and `identity.public.pem` (for the
 * services it calls). Rotating is adding a `*.public.pem` beside it at the callees, then
 * replacing the key. Returns what it created.
 */
export function ensureServiceIdentityKeys(pkiDir: string): string[] {
  const created: string[] = [];
  for (const service of serviceNames) {
    const files = serviceIdentityFiles(serviceIdentityDir(pkiDir), service);
    if (existsSync(files.privateKey)) continue;
    mkdirSync(files.dir, { recursive: true, mode: 0o700 });
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    writeFileSync(files.privateKey, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
    writeFileSync(files.publicKey, publicKey.export({ type: 'spki', format: 'pem' }));
    created.push(files.privateKey, files.publicKey);
  }
  return created;
}
