export * from './secure-envelope';
export * from './signing-identity';
export * from './verify-envelope-security';
