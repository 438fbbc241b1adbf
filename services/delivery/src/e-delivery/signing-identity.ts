import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** What a district signs its calls to e-delivery with: the key and the certificate ССЕВ knows by thumbprint. */
export interface SigningIdentity {
  keyPem: string;
  certificatePem: string;
}

/**
 * A district's signing identity from the credentials directory (a mounted secret, never the
 * database): `<district>.key.pem` + `<district>.crt.pem`, else `default.*`; `null` when neither exists.
 */
export function loadSigningIdentity(dir: string, districtCode: string): SigningIdentity | null {
  for (const name of [districtCode, 'default']) {
    const key = join(dir, `${name}.key.pem`);
    const certificate = join(dir, `${name}.crt.pem`);
    if (existsSync(key) && existsSync(certificate)) {
      return { keyPem: readFileSync(key, 'utf8'), certificatePem: readFileSync(certificate, 'utf8') };
    }
  }
  return null;
}
