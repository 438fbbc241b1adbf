export * from './correlation';
export * from './create-logger';
export * from './pino-nest-logger';
