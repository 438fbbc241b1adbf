import { DataSource } from 'typeorm';
import { postgresOptions, runMigrations } from '@umg/persistence';
import { applicationsDatabase } from '../../services/applications/src/database';
import { deliveryDatabase } from '../../services/delivery/src/database';
import { districtsDatabase } from '../../services/districts/src/database';
import { gatewayDatabase } from '../../services/gateway/src/database';
import { paymentsDatabase } from '../../services/payments/src/database';
import { devLayout, ensurePostgres } from './local-system';

/** `npm run migrate`: applies every service's pending migrations (services also do it at start-up). */
async function main(): Promise<void> {
  const url = process.env.DATABASE_URL ?? devLayout.databaseUrl;
  await ensurePostgres(url);
  for (const database of [
    applicationsDatabase,
    paymentsDatabase,
    deliveryDatabase,
    districtsDatabase,
    gatewayDatabase,
  ]) {
    const dataSource = new DataSource(
      postgresOptions({ url, poolSize: 2, applicationName: 'umg-migrate', ...database }),
    );
    await dataSource.initialize();
    try {
      const applied = await runMigrations(dataSource, database.schema);
      console.log(`${database.schema}: ${applied.length ? applied.join(', ') : 'up to date'}`);
    } finally {
      await dataSource.destroy();
    }
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
