import { ApplicationError, ApplicationErrorCode } from './application-error';
import type { ActorKind, ApplicationStatus } from './application-status';
import {
  applicationStatuses,
  applicationTransitions,
  assertTransition,
  finalStatuses,
  isTransitionAllowed,
} from './application-state-machine';

const actors: ActorKind[] = ['portal', 'district', 'system', 'applicant', 'operator'];

const allowed: [ApplicationStatus, ApplicationStatus, ActorKind][] = [
  ['received', 'routed', 'system'],
  ['received', 'withdrawn', 'applicant'],
  ['routed', 'registered', 'district'],
  ['routed', 'returned_for_corrections', 'district'],
  ['routed', 'refused', 'district'],
  ['routed', 'withdrawn', 'applicant'],
  ['returned_for_corrections', 'routed', 'portal'],
  ['returned_for_corrections', 'withdrawn', 'applicant'],
  ['registered', 'awaiting_payment', 'system'],
  ['registered', 'in_progress', 'district'],
  ['registered', 'returned_for_corrections', 'district'],
  ['registered', 'refused', 'district'],
  ['registered', 'withdrawn', 'applicant'],
  ['awaiting_payment', 'paid', 'system'],
  ['awaiting_payment', 'expired_unpaid', 'system'],
  ['awaiting_payment', 'withdrawn', 'applicant'],
  ['expired_unpaid', 'awaiting_payment', 'district'],
  ['paid', 'in_progress', 'district'],
  ['in_progress', 'result_ready', 'district'],
  ['in_progress', 'refused', 'district'],
  ['result_ready', 'delivered', 'system'],
  ['result_ready', 'awaiting_collection', 'system'],
  ['result_ready', 'result_blocked', 'system'],
  ['result_blocked', 'result_ready', 'district'],
  ['result_blocked', 'result_ready', 'operator'],
  ['awaiting_collection', 'handed_over', 'district'],
  ['awaiting_collection', 'handed_over', 'operator'],
];

const key = (from: string, to: string, actor: string) => `${from}->${to} by ${actor}`;
const allowedKeys = new Set(allowed.map(([from, to, actor]) => key(from, to, actor)));

describe('application state machine', () => {
  it.each(allowed)('allows %s → %s by the %s', (from, to, actor) => {
    expect(isTransitionAllowed(from, to, actor)).toBe(true);
    expect(() => assertTransition(from, to, actor)).not.toThrow();
  });

  // Every other (from, to, actor) triple is refused: 15 × 15 × 5 combinations in all.
  const refused = applicationStatuses.flatMap((from) =>
    applicationStatuses.flatMap((to) =>
      actors
        .filter((actor) => !allowedKeys.has(key(from, to, actor)))
        .map((actor) => [from, to, actor] as [ApplicationStatus, ApplicationStatus, ActorKind]),
    ),
  );

  it.each(refused)('refuses %s → %s by the %s with transition_not_allowed', (from, to, actor) => {
    expect(isTransitionAllowed(from, to, actor)).toBe(false);
    try {
      assertTransition(from, to, actor);
      throw new Error('expected a refusal');
    } catch (error) {
      expect(error).toBeInstanceOf(ApplicationError);
      expect((error as ApplicationError).code).toBe(ApplicationErrorCode.TransitionNotAllowed);
    }
  });

  it('has exactly the documented transitions', () => {
    const table = Object.entries(applicationTransitions).flatMap(([from, targets]) =>
      Object.entries(targets).flatMap(([to, kinds]) => (kinds ?? []).map((actor) => key(from, to, actor))),
    );
    expect(new Set(table)).toEqual(allowedKeys);
  });

  it('ends in delivered, refused, withdrawn or handed over at the desk', () => {
    expect([...finalStatuses].sort()).toEqual(['delivered', 'handed_over', 'refused', 'withdrawn']);
  });
});
