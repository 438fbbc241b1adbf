export * from './chain-hash';
export * from './exchange-log';
export * from './exchange-log-table';
export * from './exchange-recorder';
export * from './exchange-record';
export * from './verify-chain';
