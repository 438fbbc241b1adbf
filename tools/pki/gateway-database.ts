import { readFileSync } from 'node:fs';
import { DataSource } from 'typeorm';
import { postgresOptions, runMigrations } from '@umg/persistence';
import { gatewayDatabase } from '../../services/gateway/src/database';
import {
  certificatesOfPem,
  verifyRevocationList,
  type VerifiedRevocationList,
} from '../../services/gateway/src/auth/revocation-list';
import { pkiFiles, type Revocation, signRevocationList } from './certificate-authority';

/** The gateway's schema, migrated to the current version, for the commands that write to it. */
export async function withGatewayDatabase<T>(url: string, work: (dataSource: DataSource) => Promise<T>): Promise<T> {
  const dataSource = new DataSource(
    postgresOptions({ url, poolSize: 2, applicationName: 'umg-pki', ...gatewayDatabase }),
  );
  await dataSource.initialize();
  try {
    await runMigrations(dataSource, gatewayDatabase.schema);
    return await work(dataSource);
  } finally {
    await dataSource.destroy();
  }
}

/**
 * The signer's step: signs the next revocation list (with `revoke` added, when given) and publishes
 * it where every gateway pod reads it within CLIENT_CERTIFICATE_REVOCATION_CACHE_MS. The newest list
 * already published counts only if its signature verifies; a forged one is reported and ignored.
 */
export async function publishRevocationList(
  dataSource: DataSource,
  dir: string,
  options: {
    revoke?: Revocation & { districtCode: string; reasonText: string; revokedBy: string };
    days?: number;
  } = {},
): Promise<VerifiedRevocationList> {
  const published = await newestPublishedList(dataSource, dir);
  const { der, list } = await signRevocationList(dir, { revoke: options.revoke, published, days: options.days });
  await dataSource.query(`INSERT INTO gateway.client_certificate_revocation_list (crl_number, der) VALUES ($1, $2)`, [
    list.crlNumber,
    der,
  ]);
  if (options.revoke) {
    // The readable register (who, why); the gateway trusts only the signed list.
    await dataSource.query(
      `INSERT INTO gateway.revoked_client_certificate (serial, district_code, reason, revoked_by) VALUES ($1, $2, $3, $4)
       ON CONFLICT (serial) DO NOTHING`,
      [options.revoke.serial, options.revoke.districtCode, options.revoke.reasonText, options.revoke.revokedBy],
    );
  }
  // Lists far behind the newest are of no use to anyone: keep a short history.
  await dataSource.query(`DELETE FROM gateway.client_certificate_revocation_list WHERE crl_number < $1`, [
    list.crlNumber - 100,
  ]);
  return list;
}

async function newestPublishedList(dataSource: DataSource, dir: string): Promise<VerifiedRevocationList | undefined> {
  const [row] = (await dataSource.query(
    `SELECT der FROM gateway.client_certificate_revocation_list ORDER BY crl_number DESC LIMIT 1`,
  )) as { der: Buffer }[];
  if (!row) return undefined;
  try {
    return await verifyRevocationList(row.der, certificatesOfPem(readFileSync(pkiFiles(dir).caCert, 'utf8')));
  } catch (error) {
    console.error(
      `the newest published revocation list does not verify (${error instanceof Error ? error.message : String(error)}); ` +
        'signing from this signer’s own list',
    );
    return undefined;
  }
}
