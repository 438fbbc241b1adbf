import type { DataSourceOptions, MixedList, EntitySchema } from 'typeorm';

export interface ServiceDatabaseSettings {
  url: string;
  /** The service's own schema; no service reads another's. */
  schema: string;
  poolSize: number;
  // TypeORM's own types for these lists.
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities: MixedList<Function | string | EntitySchema>;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations: MixedList<Function | string>;
  applicationName: string;
}

/** TypeORM options for a service: its schema, its migrations, never `synchronize`. */
export function postgresOptions(settings: ServiceDatabaseSettings): DataSourceOptions {
  return {
    type: 'postgres',
    url: settings.url,
    schema: settings.schema,
    entities: settings.entities,
    migrations: settings.migrations,
    migrationsTableName: 'migrations',
    migrationsRun: false,
    synchronize: false,
    logging: ['error'],
    applicationName: settings.applicationName,
    extra: {
      max: settings.poolSize,
      connectionTimeoutMillis: 5_000,
      // A statement stuck behind a lock must not hold a consumer forever.
      statement_timeout: 30_000,
    },
  };
}
