export * from './callable-by.decorator';
export * from './service-caller.decorator';
export * from './service-fetch';
export * from './service-identity-keys';
export * from './service-identity.guard';
export * from './service-token';
export * from './service-token-issuer';
export * from './service-token-verifier';
