import { InitialSchema1764220000000 } from './migrations/1764220000000-initial-schema';

/** The delivery service's own schema, entities and migrations. */
export const deliveryDatabase = {
  schema: 'delivery',
  entities: [],
  migrations: [InitialSchema1764220000000],
};
