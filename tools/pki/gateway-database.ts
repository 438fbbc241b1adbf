import { DataSource } from 'typeorm';
import { postgresOptions, runMigrations } from '@umg/persistence';
import { gatewayDatabase } from '../../services/gateway/src/database';

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

/** Revokes a client certificate: the gateway refuses it within CLIENT_CERTIFICATE_REVOCATION_CACHE_MS. */
export async function revokeCertificate(
  dataSource: DataSource,
  revocation: { serial: string; districtCode: string; reason: string; revokedBy: string },
): Promise<void> {
  await dataSource.query(
    `INSERT INTO gateway.revoked_client_certificate (serial, district_code, reason, revoked_by) VALUES ($1, $2, $3, $4)
     ON CONFLICT (serial) DO NOTHING`,
    [revocation.serial, revocation.districtCode, revocation.reason, revocation.revokedBy],
  );
}

export async function revokedSerials(dataSource: DataSource): Promise<Map<string, Date>> {
  const rows = (await dataSource.query(`SELECT serial, revoked_at FROM gateway.revoked_client_certificate`)) as {
    serial: string;
    revoked_at: Date;
  }[];
  return new Map(rows.map((row) => [row.serial, row.revoked_at]));
}
