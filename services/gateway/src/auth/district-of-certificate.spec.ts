import type { PeerCertificate } from 'node:tls';
import { districtOfCertificate, normalSerial } from './district-of-certificate';

const certificate = (subjectaltname: string | undefined, OU?: string) =>
  ({
    subject: { CN: 'serdika-back-office', O: 'Sofia Municipality', ...(OU ? { OU } : {}) },
    subjectaltname,
    serialNumber: '00AB12',
  }) as unknown as PeerCertificate;

describe('districtOfCertificate', () => {
  it('maps the SAN URI to the district', () => {
    expect(districtOfCertificate(certificate('URI:urn:umg:district:serdika', 'serdika'))).toEqual({
      districtCode: 'serdika',
      serial: 'ab12',
      commonName: 'serdika-back-office',
    });
  });

  it('names no district when the OU disagrees, two districts are named, or the district is unknown', () => {
    expect(districtOfCertificate(certificate('URI:urn:umg:district:serdika', 'triaditsa'))).toBeUndefined();
    expect(
      districtOfCertificate(certificate('URI:urn:umg:district:serdika, URI:urn:umg:district:triaditsa')),
    ).toBeUndefined();
    expect(districtOfCertificate(certificate('URI:urn:umg:district:atlantis'))).toBeUndefined();
    expect(districtOfCertificate(certificate(undefined))).toBeUndefined();
  });

  it('normalises serial numbers', () => {
    expect(normalSerial('00:0A:bC')).toBe('abc');
    expect(normalSerial('0')).toBe('0');
  });
});
