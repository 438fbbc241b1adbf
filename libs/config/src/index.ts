export * from './config-error';
export * from './load-config';
export * from './common-config';
export * from './sealed-secret';
export * from './service-identity-config';
export * from './kafka-connection';
export * from './feedback-token-secret';
