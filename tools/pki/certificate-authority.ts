import 'reflect-metadata'; // @peculiar/x509 needs it (tsyringe)
import { createPrivateKey, generateKeyPairSync, randomBytes, webcrypto } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as x509 from '@peculiar/x509';
import { findDistrict } from '@umg/catalogue';
import { ensureServiceIdentityKeys } from './service-identity-keys';
import {
  crlNumberOid,
  encodeCrlNumber,
  verifyRevocationList,
  type VerifiedRevocationList,
} from '../../services/gateway/src/auth/revocation-list';

x509.cryptoProvider.set(webcrypto as never);

type CryptoKey = webcrypto.CryptoKey;
type CryptoKeyPair = webcrypto.CryptoKeyPair;

const ecdsa = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const signingAlgorithm = { name: 'ECDSA', hash: 'SHA-256' } as const;
const organisation = 'O=Sofia Municipality, C=BG';
const day = 86_400_000;

/**
 * The files of a PKI folder (`.data/pki/` by default): the gateway's CA, server certificate and
 * token key. The folder is the signer's: only the files `gatewayFiles` names go to the gateway,
 * never `ca.key.pem`, `issued.json`, `revocation-list.crl` or `clients/`.
 */
export function pkiFiles(dir: string) {
  return {
    caCert: join(dir, 'ca.cert.pem'),
    caKey: join(dir, 'ca.key.pem'),
    /** The last revocation list the CA signed: the signer's own record, beside its key. */
    revocationList: join(dir, 'revocation-list.crl'),
    serverCert: join(dir, 'server.cert.pem'),
    serverKey: join(dir, 'server.key.pem'),
    oauthSigningKey: join(dir, 'oauth-signing.key.pem'),
    oauthClients: join(dir, 'oauth-clients.json'),
    issued: join(dir, 'issued.json'),
    clients: join(dir, 'clients'),
  };
}

export interface IssuedCertificate {
  serial: string;
  districtCode: string;
  clientId: string;
  notBefore: string;
  notAfter: string;
  certFile: string;
  keyFile: string;
}

/** A positive serial with no leading zero nibble, so every tool prints it the same way. */
function newSerial(): string {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0]! & 0x7f) | 0x10;
  return bytes.toString('hex');
}

function keyPem(der: ArrayBuffer): string {
  return createPrivateKey({ key: Buffer.from(der), format: 'der', type: 'pkcs8' })
    .export({ type: 'pkcs8', format: 'pem' })
    .toString();
}

async function newKeys(): Promise<CryptoKeyPair> {
  return (await webcrypto.subtle.generateKey(ecdsa, true, ['sign', 'verify'])) as CryptoKeyPair;
}

async function writeKeyPair(keys: CryptoKeyPair, keyFile: string): Promise<void> {
  writeFileSync(keyFile, keyPem(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey)), { mode: 0o600 });
}

async function loadCa(dir: string): Promise<{ cert: x509.X509Certificate; key: CryptoKey }> {
  const files = pkiFiles(dir);
  if (!existsSync(files.caKey)) throw new Error(`no CA in ${dir}: run "npm run pki -- init" first`);
  const der = createPrivateKey(readFileSync(files.caKey)).export({ type: 'pkcs8', format: 'der' });
  const key = await webcrypto.subtle.importKey('pkcs8', der, ecdsa, false, ['sign']);
  return { cert: new x509.X509Certificate(readFileSync(files.caCert, 'utf8')), key: key as CryptoKey };
}

/**
 * Creates what is missing in the folder: the gateway's CA (which issues district client
 * certificates and the server certificate), the server certificate for 127.0.0.1/localhost, and
 * the ES256 key that signs access tokens. Returns what it created.
 */
export async function initPki(dir: string, caName = 'UMG Gateway CA'): Promise<string[]> {
  const files = pkiFiles(dir);
  mkdirSync(files.clients, { recursive: true, mode: 0o700 });
  const created: string[] = [];
  if (!existsSync(files.caKey)) {
    const keys = await newKeys();
    const now = Date.now();
    const cert = await x509.X509CertificateGenerator.createSelfSigned({
      serialNumber: newSerial(),
      name: `CN=${caName}, ${organisation}`,
      notBefore: new Date(now - day),
      notAfter: new Date(now + 3650 * day),
      keys: keys as never,
      signingAlgorithm,
      extensions: [
        new x509.BasicConstraintsExtension(true, 0, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
        await x509.SubjectKeyIdentifierExtension.create(keys.publicKey as never),
      ],
    });
    await writeKeyPair(keys, files.caKey);
    writeFileSync(files.caCert, cert.toString('pem') + '\n');
    created.push(files.caCert);
  }
  if (!existsSync(files.serverKey)) {
    const ca = await loadCa(dir);
    const keys = await newKeys();
    const now = Date.now();
    const cert = await x509.X509CertificateGenerator.create({
      serialNumber: newSerial(),
      subject: `CN=localhost, OU=gateway, ${organisation}`,
      issuer: ca.cert.subject,
      notBefore: new Date(now - day),
      notAfter: new Date(now + 825 * day),
      publicKey: keys.publicKey as never,
      signingKey: ca.key as never,
      signingAlgorithm,
      extensions: [
        new x509.BasicConstraintsExtension(false, undefined, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
        new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
        new x509.SubjectAlternativeNameExtension([
          { type: 'dns', value: 'localhost' },
          { type: 'ip', value: '127.0.0.1' },
        ]),
        await x509.AuthorityKeyIdentifierExtension.create(ca.cert),
      ],
    });
    await writeKeyPair(keys, files.serverKey);
    writeFileSync(files.serverCert, cert.toString('pem') + '\n');
    created.push(files.serverCert);
  }
  if (!existsSync(files.oauthSigningKey)) {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    writeFileSync(files.oauthSigningKey, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
    created.push(files.oauthSigningKey);
  }
  if (!existsSync(files.issued)) writeFileSync(files.issued, '[]\n');
  created.push(...ensureServiceIdentityKeys(dir));
  return created;
}

export interface IssueOptions {
  districtCode: string;
  /** CN of the certificate; `<district>-back-office` unless given. */
  clientId?: string;
  /** Validity from now; negative makes an already expired certificate (for tests). */
  days?: number;
  /** An explicit end of validity, instead of days. */
  notAfter?: Date;
  /** Where the key and certificate go; `<pki>/clients/<district>-<serial>/` unless given. */
  outDir?: string;
}

/** Issues a district client certificate: SAN URI urn:umg:district:<code>, OU the district, CN the client id. */
export async function issueClientCertificate(dir: string, options: IssueOptions): Promise<IssuedCertificate> {
  if (!findDistrict(options.districtCode)) throw new Error(`unknown district ${options.districtCode}`);
  const ca = await loadCa(dir);
  const files = pkiFiles(dir);
  const serial = newSerial();
  const clientId = options.clientId ?? `${options.districtCode}-back-office`;
  const notAfter = options.notAfter ?? new Date(Date.now() + (options.days ?? 365) * day);
  const notBefore = new Date(Math.min(Date.now() - 5 * 60_000, notAfter.getTime() - day));
  const keys = await newKeys();
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serial,
    subject: `CN=${clientId}, OU=${options.districtCode}, ${organisation}`,
    issuer: ca.cert.subject,
    notBefore,
    notAfter,
    publicKey: keys.publicKey as never,
    signingKey: ca.key as never,
    signingAlgorithm,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.clientAuth]),
      new x509.SubjectAlternativeNameExtension([{ type: 'url', value: `urn:umg:district:${options.districtCode}` }]),
      await x509.AuthorityKeyIdentifierExtension.create(ca.cert),
    ],
  });
  const outDir = options.outDir ?? join(files.clients, `${options.districtCode}-${serial.slice(0, 8)}`);
  mkdirSync(outDir, { recursive: true, mode: 0o700 });
  const issued: IssuedCertificate = {
    serial,
    districtCode: options.districtCode,
    clientId,
    notBefore: notBefore.toISOString(),
    notAfter: notAfter.toISOString(),
    certFile: join(outDir, 'client.cert.pem'),
    keyFile: join(outDir, 'client.key.pem'),
  };
  await writeKeyPair(keys, issued.keyFile);
  writeFileSync(issued.certFile, cert.toString('pem') + '\n');
  writeFileSync(join(outDir, 'ca.cert.pem'), readFileSync(files.caCert)); // to verify the gateway's server certificate
  writeFileSync(files.issued, JSON.stringify([...listIssued(dir), issued], null, 2) + '\n');
  return issued;
}

export function listIssued(dir: string): IssuedCertificate[] {
  const file = pkiFiles(dir).issued;
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as IssuedCertificate[]) : [];
}

/** How long a signed revocation list is current; the signer re-publishes well within it (`npm run pki -- crl`). */
export const revocationListDays = 7;

export interface Revocation {
  serial: string;
  reason: x509.X509CrlReason;
}

/** The signer's own last list (`revocation-list.crl`), verified against its CA; undefined before the first. */
export async function signedRevocationList(dir: string): Promise<VerifiedRevocationList | undefined> {
  const files = pkiFiles(dir);
  if (!existsSync(files.revocationList)) return undefined;
  const ca = new x509.X509Certificate(readFileSync(files.caCert, 'utf8'));
  return verifyRevocationList(readFileSync(files.revocationList), [ca]);
}

/**
 * Signs the next revocation list with the CA key: every entry of the signer's last list and of
 * `published` (the newest list found where the gateway reads, verified, so a lost or restored file
 * loses nothing), plus `revoke`; numbered above both. Written to `revocation-list.crl` before it is
 * published, so the signer never forgets what it signed. Returns the DER to publish.
 */
export async function signRevocationList(
  dir: string,
  options: { revoke?: Revocation; published?: VerifiedRevocationList; days?: number } = {},
): Promise<{ der: Buffer; list: VerifiedRevocationList }> {
  const ca = await loadCa(dir);
  const files = pkiFiles(dir);
  const own = await signedRevocationList(dir);
  const entries = new Map<string, x509.X509CrlEntryParams>();
  for (const list of [options.published, own]) {
    for (const [serial, revokedAt] of list?.revoked ?? []) {
      entries.set(serial, { serialNumber: serial, revocationDate: revokedAt });
    }
  }
  const now = new Date();
  if (options.revoke && !entries.has(options.revoke.serial)) {
    entries.set(options.revoke.serial, {
      serialNumber: options.revoke.serial,
      revocationDate: now,
      reason: options.revoke.reason,
    });
  }
  const crlNumber = Math.max(own?.crlNumber ?? 0, options.published?.crlNumber ?? 0) + 1;
  const crl = await x509.X509CrlGenerator.create({
    issuer: ca.cert.subject,
    thisUpdate: now,
    nextUpdate: new Date(now.getTime() + (options.days ?? revocationListDays) * day),
    entries: [...entries.values()].map((entry) => ({
      ...entry,
      // Serials as hex with an even number of digits and a clear sign bit (a DER INTEGER's content).
      serialNumber: derSerial(entry.serialNumber),
    })),
    extensions: [
      new x509.Extension(crlNumberOid, false, encodeCrlNumber(crlNumber)),
      await x509.AuthorityKeyIdentifierExtension.create(ca.cert),
    ],
    signingKey: ca.key as never,
    signingAlgorithm,
  });
  const der = Buffer.from(crl.rawData);
  // Written whole and renamed: a crash never leaves half a list as the signer's record.
  writeFileSync(`${files.revocationList}.tmp`, der, { mode: 0o600 });
  renameSync(`${files.revocationList}.tmp`, files.revocationList);
  return { der, list: await verifyRevocationList(der, [ca.cert]) };
}

function derSerial(serial: string): string {
  const hex = serial.length % 2 ? `0${serial}` : serial;
  return parseInt(hex.slice(0, 2), 16) & 0x80 ? `00${hex}` : hex;
}

/** `--reason` as a CRL reason code: "key compromise", "keyCompromise" and "key-compromise" alike. */
export function revocationReason(text: string | undefined): x509.X509CrlReason {
  const wanted = (text ?? '').replace(/[^a-z]/gi, '').toLowerCase();
  const match = Object.entries(x509.X509CrlReason).find(
    ([name, value]) => typeof value === 'number' && name.toLowerCase() === wanted,
  );
  return match ? (match[1] as x509.X509CrlReason) : x509.X509CrlReason.unspecified;
}
