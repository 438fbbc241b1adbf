import 'reflect-metadata'; // @peculiar/x509 needs it (tsyringe)
import { createPrivateKey, randomBytes, webcrypto } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto as never);

const ecdsa = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const signingAlgorithm = { name: 'ECDSA', hash: 'SHA-256' } as const;
const organisation = 'O=Sofia Municipality, C=BG';
const day = 86_400_000;

/** The files of a local broker's TLS folder (`<broker data dir>/tls`). */
export function kafkaTlsFiles(dir: string) {
  return {
    caCert: join(dir, 'ca.cert.pem'),
    serverCert: join(dir, 'server.cert.pem'),
    serverKey: join(dir, 'server.key.pem'),
  };
}

function serial(): string {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0]! & 0x7f) | 0x10;
  return bytes.toString('hex');
}

async function pkcs8Pem(key: webcrypto.CryptoKey): Promise<string> {
  const der = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', key));
  return createPrivateKey({ key: der, format: 'der', type: 'pkcs8' })
    .export({ type: 'pkcs8', format: 'pem' })
    .toString();
}

/**
 * A CA of the local broker's own and its server certificate for 127.0.0.1/localhost (made once per
 * broker data dir). Its own CA, not the gateway's: a certificate the gateway's CA signs is a district's
 * identity, and the broker's must never be one. The CA key is not kept: nothing else is ever signed.
 */
export async function initKafkaBrokerTls(dir: string, hostNames: string[] = []): Promise<boolean> {
  const files = kafkaTlsFiles(dir);
  if (existsSync(files.serverKey) && existsSync(files.caCert)) return false;
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const now = Date.now();
  const caKeys = (await webcrypto.subtle.generateKey(ecdsa, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  const ca = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: `CN=UMG local Kafka CA, ${organisation}`,
    notBefore: new Date(now - day),
    notAfter: new Date(now + 825 * day),
    keys: caKeys as never,
    signingAlgorithm,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign, true),
      await x509.SubjectKeyIdentifierExtension.create(caKeys.publicKey as never),
    ],
  });
  const keys = (await webcrypto.subtle.generateKey(ecdsa, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  const server = await x509.X509CertificateGenerator.create({
    serialNumber: serial(),
    subject: `CN=localhost, OU=kafka, ${organisation}`,
    issuer: ca.subject,
    notBefore: new Date(now - day),
    notAfter: new Date(now + 825 * day),
    publicKey: keys.publicKey as never,
    signingKey: caKeys.privateKey as never,
    signingAlgorithm,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      // clientAuth too: the broker shows the same certificate to its own controller listener (mutual TLS).
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth, x509.ExtendedKeyUsage.clientAuth]),
      new x509.SubjectAlternativeNameExtension([
        { type: 'dns', value: 'localhost' },
        { type: 'ip', value: '127.0.0.1' },
        // Other names the clients reach the broker by (compose: `kafka`).
        ...hostNames.map((value) => ({ type: 'dns' as const, value })),
      ]),
      await x509.AuthorityKeyIdentifierExtension.create(ca),
    ],
  });
  writeFileSync(files.serverKey, await pkcs8Pem(keys.privateKey), { mode: 0o600 });
  writeFileSync(files.serverCert, server.toString('pem') + '\n');
  writeFileSync(files.caCert, ca.toString('pem') + '\n');
  return true;
}

// deploy/kafka/kafka.sh runs this before the broker's first start: node dist/tools/pki/kafka-broker-tls.js DIR [HOST...]
if (require.main === module) {
  const [dir, ...hostNames] = process.argv.slice(2);
  if (!dir) {
    console.error('usage: kafka-broker-tls.js DIR [HOST...]');
    process.exit(2);
  }
  initKafkaBrokerTls(resolve(dir), hostNames).then(
    (created) => created && console.error(`kafka: TLS certificate made in ${dir}`),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
