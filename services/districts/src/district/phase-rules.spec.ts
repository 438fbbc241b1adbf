import { canMovePhase, phaseNeedsConformance } from './phase-rules';

describe('rollout phases', () => {
  it('moves forward one step at a time', () => {
    expect(canMovePhase('not_started', 'onboarding')).toBe(true);
    expect(canMovePhase('onboarding', 'pilot')).toBe(true);
    expect(canMovePhase('pilot', 'live')).toBe(true);
    expect(canMovePhase('not_started', 'live')).toBe(false);
    expect(canMovePhase('onboarding', 'live')).toBe(false);
  });

  it('suspends from anywhere and resumes', () => {
    for (const from of ['not_started', 'onboarding', 'pilot', 'live'] as const) {
      expect(canMovePhase(from, 'suspended')).toBe(true);
    }
    expect(canMovePhase('suspended', 'live')).toBe(true);
    expect(canMovePhase('suspended', 'not_started')).toBe(false);
  });

  it('asks for conformance only before taking applications', () => {
    expect(phaseNeedsConformance('pilot')).toBe(true);
    expect(phaseNeedsConformance('live')).toBe(true);
    expect(phaseNeedsConformance('onboarding')).toBe(false);
    expect(phaseNeedsConformance('suspended')).toBe(false);
  });
});
