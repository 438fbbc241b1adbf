import { applicationStateMachine, applicationStatuses as contractStatuses } from '@umg/contracts';
import { ApplicationError, ApplicationErrorCode } from './application-error';
import type { ActorKind, ApplicationStatus } from './application-status';

type Transitions = Record<ApplicationStatus, Partial<Record<ApplicationStatus, readonly ActorKind[]>>>;

/**
 * Who may move an application from which status to which, read from the contract
 * (ApplicationStatus, x-state-machine in contracts/openapi/district-api.yaml) so code and
 * documentation cannot drift; the unit test states the expected table independently.
 */
export const applicationTransitions: Transitions = Object.fromEntries(
  contractStatuses.map((status) => [status, {}]),
) as Transitions;
for (const transition of applicationStateMachine.transitions) {
  applicationTransitions[transition.from][transition.to] = transition.actors;
}

export const applicationStatuses = Object.keys(applicationTransitions) as ApplicationStatus[];

/** Statuses from which nothing more happens to the application. */
export const finalStatuses: readonly ApplicationStatus[] = applicationStatuses.filter(
  (status) => Object.keys(applicationTransitions[status]).length === 0,
);

export function isTransitionAllowed(from: ApplicationStatus, to: ApplicationStatus, actor: ActorKind): boolean {
  return applicationTransitions[from][to]?.includes(actor) ?? false;
}

/** Refuses an impossible transition with a stable code instead of applying it. */
export function assertTransition(from: ApplicationStatus, to: ApplicationStatus, actor: ActorKind): void {
  if (!isTransitionAllowed(from, to, actor)) {
    throw new ApplicationError(
      ApplicationErrorCode.TransitionNotAllowed,
      `an application in status "${from}" cannot become "${to}" by the ${actor}`,
    );
  }
}
