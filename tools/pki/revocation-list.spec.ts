import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import type { Logger } from '@umg/logging';
import { ClientCertificateRevocations } from '../../services/gateway/src/auth/client-certificate-revocations';
import type { GatewayConfig } from '../../services/gateway/src/config';
import {
  certificatesOfPem,
  RevocationListRefused,
  verifyRevocationList,
} from '../../services/gateway/src/auth/revocation-list';
import {
  initPki,
  issueClientCertificate,
  pkiFiles,
  revocationReason,
  signRevocationList,
} from './certificate-authority';

/** The published lists as the gateway's table holds them; the test plays the database (and its attacker). */
class PublishedLists {
  rows: { crl_number: string; der: Buffer }[] = [];
  publish(der: Buffer, crlNumber: number) {
    this.rows.push({ crl_number: String(crlNumber), der });
  }
  asDataSource(): DataSource {
    return {
      query: async () => [...this.rows].sort((a, b) => Number(b.crl_number) - Number(a.crl_number)).slice(0, 1),
    } as unknown as DataSource;
  }
}

const silent = { info: jest.fn(), warn: jest.fn(), error: jest.fn() } as unknown as Logger;

describe('the signed revocation list', () => {
  let dir: string;
  let published: PublishedLists;
  let gateway: ClientCertificateRevocations;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'umg-crl-'));
    await initPki(dir);
    published = new PublishedLists();
    gateway = new ClientCertificateRevocations(
      published.asDataSource(),
      {
        NODE_ENV: 'test',
        GATEWAY_CLIENT_CA_FILE: pkiFiles(dir).caCert,
        CLIENT_CERTIFICATE_REVOCATION_CACHE_MS: 0,
      } as GatewayConfig,
      silent,
    );
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const sign = async (options: Parameters<typeof signRevocationList>[1] = {}) => {
    const { der, list } = await signRevocationList(dir, options);
    published.publish(der, list.crlNumber);
    return list;
  };

  it('is signed by the CA, numbered upwards, and names the revoked serials', async () => {
    const certificate = await issueClientCertificate(dir, { districtCode: 'serdika' });
    const first = await sign();
    const second = await sign({ revoke: { serial: certificate.serial, reason: revocationReason('key compromise') } });
    expect([first.crlNumber, second.crlNumber]).toEqual([1, 2]);
    expect(second.revoked.has(certificate.serial)).toBe(true);
    expect(second.nextUpdate.getTime() - second.thisUpdate.getTime()).toBe(7 * 86_400_000);
    expect(await gateway.isRevoked(certificate.serial)).toBe(true);
    expect(await gateway.isRevoked('1234')).toBe(false);
  });

  it('fails closed with no list published', async () => {
    await expect(gateway.isRevoked('1234')).rejects.toThrow(RevocationListRefused);
  });

  it('refuses a list signed by another CA of the same name, and fails closed (never lets a certificate in unchecked)', async () => {
    const certificate = await issueClientCertificate(dir, { districtCode: 'serdika' });
    await sign({ revoke: { serial: certificate.serial, reason: 0 } });
    expect(await gateway.isRevoked(certificate.serial)).toBe(true);
    // The attacker has the database, not the CA key: a CA of its own under the same name signs an empty list.
    const forger = mkdtempSync(join(tmpdir(), 'umg-forger-'));
    await initPki(forger, 'UMG Gateway CA');
    const ahead = { crlNumber: 98, thisUpdate: new Date(), nextUpdate: new Date(), revoked: new Map(), issuer: '' };
    const forged = await signRevocationList(forger, { published: ahead });
    rmSync(forger, { recursive: true, force: true });
    expect(forged.list.crlNumber).toBe(99);
    expect(forged.list.issuer).toBe(certificatesOfPem(readFileSync(pkiFiles(dir).caCert, 'utf8'))[0]!.subject);
    published.publish(forged.der, forged.list.crlNumber);
    await expect(gateway.isRevoked(certificate.serial)).rejects.toThrow(/signature does not verify/);
  });

  it('keeps a revocation when the newest list is deleted from the database (an older list is refused)', async () => {
    const certificate = await issueClientCertificate(dir, { districtCode: 'serdika' });
    await sign();
    await sign({ revoke: { serial: certificate.serial, reason: 0 } });
    expect(await gateway.isRevoked(certificate.serial)).toBe(true);
    published.rows = published.rows.filter((row) => row.crl_number !== '2');
    await expect(gateway.isRevoked(certificate.serial)).rejects.toThrow(/not newer than list 2/);
    // The signer's next list still holds the revocation: it signs from its own record, not the database.
    await sign();
    expect(await gateway.isRevoked(certificate.serial)).toBe(true);
  });

  it('refuses a list whose published number is not the signed one', async () => {
    const { der } = await signRevocationList(dir);
    published.publish(der, 5);
    await expect(gateway.isRevoked('1234')).rejects.toThrow(/published as number 5 but signed as 1/);
  });

  it('refuses a stale list (past its nextUpdate)', async () => {
    await sign({ days: -1 / 24 });
    await expect(gateway.isRevoked('1234')).rejects.toThrow(/expired/);
  });

  it('signs over the newest published list too, so a signer that lost its file forgets no revocation', async () => {
    const certificate = await issueClientCertificate(dir, { districtCode: 'serdika' });
    const withRevocation = await sign({ revoke: { serial: certificate.serial, reason: 0 } });
    rmSync(pkiFiles(dir).revocationList);
    const next = await sign({ published: withRevocation });
    expect(next.crlNumber).toBe(2);
    expect(next.revoked.has(certificate.serial)).toBe(true);
    const ca = certificatesOfPem(readFileSync(pkiFiles(dir).caCert, 'utf8'));
    expect((await verifyRevocationList(readFileSync(pkiFiles(dir).revocationList), ca)).crlNumber).toBe(2);
  });
});
