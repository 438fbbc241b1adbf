import { generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { exchangeLogKeyFiles } from '@umg/config';

/** The services that keep an exchange log, each signing its own. */
export const exchangeLogServices = ['gateway', 'applications', 'payments', 'delivery', 'districts'] as const;

/**
 * Creates what is missing of each service's exchange-log key pair in a PKI folder:
 * `services/<service>/exchange-log.key.pem` (Ed25519, PKCS#8, for that service only) and
 * `exchange-log.public.pem` (SPKI, for verifiers and auditors). Returns what it created.
 */
export function initExchangeLogKeys(dir: string, services: readonly string[] = exchangeLogServices): string[] {
  const created: string[] = [];
  for (const service of services) {
    const files = exchangeLogKeyFiles(dir, service);
    if (existsSync(files.privateKey)) continue;
    mkdirSync(dirname(files.privateKey), { recursive: true, mode: 0o700 });
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    writeFileSync(files.privateKey, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
    writeFileSync(files.publicKey, publicKey.export({ type: 'spki', format: 'pem' }), { mode: 0o644 });
    created.push(files.privateKey, files.publicKey);
  }
  return created;
}
