import { InitialSchema1764220000000 } from './migrations/1764220000000-initial-schema';

/** The gateway service's own schema, entities and migrations. */
export const gatewayDatabase = {
  schema: 'gateway',
  entities: [],
  migrations: [InitialSchema1764220000000],
};
