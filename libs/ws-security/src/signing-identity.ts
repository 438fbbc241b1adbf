import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { certificateThumbprint } from '@umg/e-delivery';

/** What a party signs its SOAP calls with: the key, and the certificate the other side knows by thumbprint. */
export interface SigningIdentity {
  keyPem: string;
  certificatePem: string;
  thumbprint: string;
}

/**
 * A signing identity from the credentials directory (a mounted secret, never the database):
 * `<name>.key.pem` + `<name>.crt.pem`; `null` when they are not there.
 */
export function loadSigningIdentity(dir: string, name: string): SigningIdentity | null {
  const key = join(dir, `${name}.key.pem`);
  const certificate = join(dir, `${name}.crt.pem`);
  if (!existsSync(key) || !existsSync(certificate)) return null;
  const certificatePem = readFileSync(certificate, 'utf8');
  return { keyPem: readFileSync(key, 'utf8'), certificatePem, thumbprint: certificateThumbprint(certificatePem) };
}
