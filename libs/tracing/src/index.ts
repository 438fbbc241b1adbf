export * from './spans';
export * from './start-tracing';
export * from './traced-fetch';
export * from './tracing-config';
