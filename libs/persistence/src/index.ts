export * from './postgres-options';
export * from './run-migrations';
export * from './ensure-database';
export * from './is-transient-database-error';
export * from './work-notifications';
