import { canMoveServicePhase, isOffered } from './service-phase-rules';

describe('service phase rules', () => {
  it('moves not_started → pilot → live → suspended and back from suspended, nothing else', () => {
    expect(canMoveServicePhase('not_started', 'pilot')).toBe(true);
    expect(canMoveServicePhase('pilot', 'live')).toBe(true);
    expect(canMoveServicePhase('live', 'suspended')).toBe(true);
    expect(canMoveServicePhase('suspended', 'live')).toBe(true);
    expect(canMoveServicePhase('suspended', 'pilot')).toBe(true);
    expect(canMoveServicePhase('not_started', 'live')).toBe(false);
    expect(canMoveServicePhase('live', 'pilot')).toBe(false);
    expect(canMoveServicePhase('live', 'not_started')).toBe(false);
    expect(canMoveServicePhase('pilot', 'pilot')).toBe(false);
  });

  it('offers only services in pilot or live', () => {
    expect(['not_started', 'pilot', 'live', 'suspended'].filter((phase) => isOffered(phase as never))).toEqual([
      'pilot',
      'live',
    ]);
  });
});
