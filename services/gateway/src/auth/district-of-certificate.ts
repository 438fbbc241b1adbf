import type { PeerCertificate } from 'node:tls';
import { findDistrict } from '@umg/catalogue';

const districtUri = /^urn:umg:district:([a-z-]+)$/;

/** A district client certificate's identity: SAN URI `urn:umg:district:<code>`, CN the client id. */
export interface CertificateIdentity {
  districtCode: string;
  serial: string;
  commonName: string;
}

/** Serial numbers as the PKI command prints them: lower-case hex without leading zeros. */
export function normalSerial(serial: string): string {
  return serial
    .replace(/[^0-9a-f]/gi, '')
    .toLowerCase()
    .replace(/^0+(?=.)/, '');
}

/**
 * Maps a verified client certificate to its district. The SAN URI is the authority (X-Road's
 * member identifier plays the same part); OU, when present, must agree, so a certificate issued
 * carelessly with two districts in it names none.
 */
export function districtOfCertificate(certificate: PeerCertificate): CertificateIdentity | undefined {
  const uris = (certificate.subjectaltname ?? '')
    .split(/,\s*/)
    .filter((name) => name.startsWith('URI:'))
    .map((name) => districtUri.exec(name.slice(4))?.[1])
    .filter((code): code is string => Boolean(code));
  const codes = new Set(uris);
  if (codes.size !== 1) return undefined;
  const [districtCode] = [...codes] as [string];
  const unit = certificate.subject?.OU;
  if (unit !== undefined && unit !== districtCode) return undefined;
  if (!findDistrict(districtCode)) return undefined;
  const commonName = certificate.subject?.CN;
  return {
    districtCode,
    serial: normalSerial(certificate.serialNumber),
    commonName: typeof commonName === 'string' ? commonName : districtCode,
  };
}
