import 'reflect-metadata'; // @peculiar/x509 needs it (tsyringe)
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import { normalSerial } from './district-of-certificate';

x509.cryptoProvider.set(webcrypto as never);

/** RFC 5280 §5.2.3: the CRL number, a monotonically increasing sequence number of the issuer's lists. */
export const crlNumberOid = '2.5.29.20';

/** A revocation list whose signature was checked against a CA certificate. */
export interface VerifiedRevocationList {
  crlNumber: number;
  thisUpdate: Date;
  nextUpdate: Date;
  /** Normalised serials (lower-case hex, no leading zeros) with their revocation dates. */
  revoked: Map<string, Date>;
  issuer: string;
}

export class RevocationListRefused extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'RevocationListRefused';
  }
}

/** DER INTEGER of a non-negative number (the CRL number's extension value). */
export function encodeCrlNumber(value: number): ArrayBuffer {
  if (!Number.isSafeInteger(value) || value < 1) throw new Error(`bad CRL number ${value}`);
  let hex = value.toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  if (parseInt(hex.slice(0, 2), 16) & 0x80) hex = `00${hex}`;
  const content = Buffer.from(hex, 'hex');
  return new Uint8Array(Buffer.concat([Buffer.from([0x02, content.length]), content])).buffer;
}

function decodeCrlNumber(value: ArrayBuffer): number | undefined {
  const der = Buffer.from(value);
  // Short-form INTEGER of at most 7 bytes: anything larger is not a number this signer writes.
  if (der.length < 3 || der[0] !== 0x02 || der[1] !== der.length - 2 || der.length - 2 > 7) return undefined;
  if (der[2]! & 0x80) return undefined;
  const number = parseInt(der.subarray(2).toString('hex'), 16);
  return Number.isSafeInteger(number) && number > 0 ? number : undefined;
}

/**
 * Parses a CRL and checks it was signed by one of `caCertificates` (matched by issuer name, then
 * by signature); it must carry a CRL number and a nextUpdate. Throws RevocationListRefused
 * otherwise: a list that does not verify says nothing.
 */
export async function verifyRevocationList(
  der: Uint8Array,
  caCertificates: readonly x509.X509Certificate[],
): Promise<VerifiedRevocationList> {
  let crl: x509.X509Crl;
  try {
    crl = new x509.X509Crl(new Uint8Array(der));
  } catch (error) {
    throw new RevocationListRefused(`not a CRL: ${error instanceof Error ? error.message : String(error)}`);
  }
  const issuers = caCertificates.filter((certificate) => certificate.subject === crl.issuer);
  let signed = false;
  for (const issuer of issuers) {
    if (await crl.verify({ publicKey: issuer }).catch(() => false)) {
      signed = true;
      break;
    }
  }
  if (!signed) throw new RevocationListRefused(`the signature does not verify against the CA (issuer ${crl.issuer})`);
  const extension = crl.getExtension(crlNumberOid);
  const crlNumber = extension ? decodeCrlNumber(extension.value) : undefined;
  if (crlNumber === undefined) throw new RevocationListRefused('the list carries no CRL number');
  if (!crl.nextUpdate) throw new RevocationListRefused('the list carries no nextUpdate');
  return {
    crlNumber,
    thisUpdate: crl.thisUpdate,
    nextUpdate: crl.nextUpdate,
    revoked: new Map(crl.entries.map((entry) => [normalSerial(entry.serialNumber), entry.revocationDate])),
    issuer: crl.issuer,
  };
}

/** The certificates of a PEM bundle (the client CA file may hold more than one CA). */
export function certificatesOfPem(pem: string): x509.X509Certificate[] {
  return (pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? []).map(
    (block) => new x509.X509Certificate(block),
  );
}
