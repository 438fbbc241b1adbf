import type { ApplicationStatus as ContractStatus, ActorKind as ContractActorKind } from '@umg/contracts';

export type ApplicationStatus = ContractStatus;
export type ActorKind = ContractActorKind;

export interface Actor {
  kind: ActorKind;
  id: string;
}
