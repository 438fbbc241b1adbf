import { canTransition, findTransition, isFinalStatus, transitionsFrom } from './application-state-machine';
import { applicationStateMachine, applicationStatuses } from './generated/state-machine';

describe('application state machine (generated from the contract)', () => {
  it('reaches every status from the initial one', () => {
    const reached = new Set<string>([applicationStateMachine.initial]);
    for (let grew = true; grew;) {
      grew = false;
      for (const t of applicationStateMachine.transitions) {
        if (reached.has(t.from) && !reached.has(t.to)) {
          reached.add(t.to);
          grew = true;
        }
      }
    }

    expect(Array.from(reached).sort()).toEqual([...applicationStatuses].sort());
  });

  it('has no way out of a final status', () => {
    for (const status of applicationStateMachine.final) {
      expect(isFinalStatus(status)).toBe(true);
      expect(transitionsFrom(status)).toEqual([]);
    }
  });

  it('keeps expired_unpaid open for a new payment request by the district', () => {
    expect(isFinalStatus('expired_unpaid')).toBe(false);
    expect(canTransition('expired_unpaid', 'awaiting_payment', 'district')).toBe(true);
  });

  it('allows a transition only to its actors', () => {
    expect(canTransition('routed', 'registered', 'district')).toBe(true);
    expect(canTransition('routed', 'registered', 'system')).toBe(false);
    expect(canTransition('awaiting_payment', 'paid', 'district')).toBe(false);
    expect(canTransition('awaiting_payment', 'withdrawn', 'applicant')).toBe(true);
  });

  it('refuses transitions the lifecycle does not have', () => {
    expect(canTransition('paid', 'registered')).toBe(false);
    expect(canTransition('in_progress', 'withdrawn')).toBe(false);
    expect(findTransition('delivered', 'refused')).toBeUndefined();
  });
});
