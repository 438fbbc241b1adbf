import 'reflect-metadata'; // @peculiar/x509 needs it (tsyringe)
import { createPrivateKey, webcrypto } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto as never);

const rsa = {
  name: 'RSASSA-PKCS1-v1_5',
  hash: 'SHA-256',
  publicExponent: new Uint8Array([1, 0, 1]),
  modulusLength: 2048,
} as const;

/**
 * The WS-Security signing identities of the demo and the tests: an RSA key and a self-signed
 * certificate per name (`<name>.key.pem`, `<name>.crt.pem`) in `dir`, made once. In production the
 * directory is a mounted secret holding each district's qualified certificate, and ССЕВ's
 * administrators register its thumbprint; here the e-delivery simulator registers every
 * certificate it finds in the same directory.
 */
export async function ensureEDeliveryCredentials(dir: string, names: string[]): Promise<void> {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  for (const name of names) {
    const keyFile = join(dir, `${name}.key.pem`);
    const certificateFile = join(dir, `${name}.crt.pem`);
    if (existsSync(keyFile) && existsSync(certificateFile)) continue;
    const keys = (await webcrypto.subtle.generateKey(rsa, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
    const certificate = await x509.X509CertificateGenerator.createSelfSigned({
      serialNumber: Date.now().toString(16),
      name: `CN=UMG e-delivery ${name}, O=Sofia Municipality, C=BG`,
      notBefore: new Date(Date.now() - 86_400_000),
      notAfter: new Date(Date.now() + 5 * 365 * 86_400_000),
      keys: keys as never,
      signingAlgorithm: rsa,
    });
    const keyDer = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey));
    writeFileSync(
      keyFile,
      createPrivateKey({ key: keyDer, format: 'der', type: 'pkcs8' }).export({ type: 'pkcs8', format: 'pem' }),
      { mode: 0o600 },
    );
    writeFileSync(certificateFile, certificate.toString('pem'));
  }
}
