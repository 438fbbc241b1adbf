export { createDistrictApiClient } from './district-api-client';
export type { DistrictApiClient, DistrictApiClientOptions, DistrictApiPaths, RetryPolicy } from './district-api-client';
export { AccessTokens } from './access-tokens';
export type { ClientCredentials } from './access-tokens';
export { DistrictApiProblem } from './district-api-problem';
export type { Problem } from './district-api-problem';
export { operations } from './generated/operations';
export type { OperationHeaders } from './generated/operations';
export type { components, operations as operationTypes, paths } from './generated/district-api';
