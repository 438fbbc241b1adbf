import type { DistrictPhase } from '@umg/contracts';

/** The rollout: forward one step at a time; anything can be suspended; a suspended district comes back where it fits. */
const allowedMoves: Record<DistrictPhase, readonly DistrictPhase[]> = {
  not_started: ['onboarding', 'suspended'],
  onboarding: ['pilot', 'suspended'],
  pilot: ['live', 'onboarding', 'suspended'],
  live: ['suspended'],
  suspended: ['onboarding', 'pilot', 'live'],
};

export function canMovePhase(from: DistrictPhase, to: DistrictPhase): boolean {
  return allowedMoves[from].includes(to);
}

/** Taking applications (pilot, live) needs a passing conformance run of the current profile. */
export function phaseNeedsConformance(to: DistrictPhase): boolean {
  return to === 'pilot' || to === 'live';
}

/** Whether a district in this phase accepts applications. */
export function acceptsApplications(phase: DistrictPhase): boolean {
  return phase === 'pilot' || phase === 'live';
}
