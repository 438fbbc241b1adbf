import type { components } from './generated/district-api';
import { applicationStateMachine, type ApplicationTransitionDefinition } from './generated/state-machine';

// The transition table is generated from the `x-state-machine` extension of ApplicationStatus in
// contracts/openapi/district-api.yaml, so the code cannot drift from the documented lifecycle.
type ApplicationStatus = components['schemas']['ApplicationStatus'];
type ActorKind = components['schemas']['ActorKind'];

const finalStatuses: readonly ApplicationStatus[] = applicationStateMachine.final;
const transitions: readonly ApplicationTransitionDefinition[] = applicationStateMachine.transitions;

/** True for a status no transition leaves (delivered, refused, withdrawn, awaiting_collection). */
export function isFinalStatus(status: ApplicationStatus): boolean {
  return finalStatuses.includes(status);
}

/** The transitions that leave `from`. */
export function transitionsFrom(from: ApplicationStatus): readonly ApplicationTransitionDefinition[] {
  return transitions.filter((t) => t.from === from);
}

/** The transition `from` → `to`, if the lifecycle has one. */
export function findTransition(
  from: ApplicationStatus,
  to: ApplicationStatus,
): ApplicationTransitionDefinition | undefined {
  return transitions.find((t) => t.from === from && t.to === to);
}

/** Whether `from` → `to` is allowed, and, when `actor` is given, allowed to that kind of actor. */
export function canTransition(from: ApplicationStatus, to: ApplicationStatus, actor?: ActorKind): boolean {
  const transition = findTransition(from, to);
  return transition !== undefined && (actor === undefined || transition.actors.includes(actor));
}
