import { InitialSchema1764220000000 } from './migrations/1764220000000-initial-schema';

/** The payments service's own schema, entities and migrations. */
export const paymentsDatabase = {
  schema: 'payments',
  entities: [],
  migrations: [InitialSchema1764220000000],
};
