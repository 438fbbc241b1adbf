export * from './certificate-thumbprint';
export * from './e-delivery-contract';
