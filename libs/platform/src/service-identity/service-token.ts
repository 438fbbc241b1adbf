import { type ServiceName, serviceNames } from '@umg/config';

export { type ServiceName, serviceIdentityFiles, serviceNames } from '@umg/config';

export function isServiceName(value: unknown): value is ServiceName {
  return typeof value === 'string' && (serviceNames as readonly string[]).includes(value);
}

export const operatorRoles = ['viewer', 'operator', 'administrator'] as const;
export type OperatorClaimRole = (typeof operatorRoles)[number];

/** The signed-in operator on whose behalf the gateway calls (from the gateway's operator session). */
export interface OperatorClaim {
  id: string;
  role: OperatorClaimRole;
}

/** The district system on whose behalf the gateway calls (from its verified district credential). */
export interface ActorClaim {
  districtCode: string;
  clientId: string;
}

/** Who a call is made for, when anyone: at most one of them. */
export type OnBehalfOf = { operator: OperatorClaim } | { actor: ActorClaim };

/** A verified caller: the service that signed, and whom it acts for. */
export interface ServiceCaller {
  service: ServiceName;
  operator?: OperatorClaim;
  actor?: ActorClaim;
}

/** Only the gateway authenticates people and district systems, so only it may act for them. */
export const principalIssuers: readonly ServiceName[] = ['gateway'];

/** Longest lifetime of a service token; a longer-lived one is refused even when signed. */
export const maxServiceTokenSeconds = 60;

export const serviceTokenAlgorithm = 'ES256';
