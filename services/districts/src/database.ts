import { InitialSchema1764220000000 } from './migrations/1764220000000-initial-schema';

/** The districts service's own schema, entities and migrations. */
export const districtsDatabase = {
  schema: 'districts',
  entities: [],
  migrations: [InitialSchema1764220000000],
};
