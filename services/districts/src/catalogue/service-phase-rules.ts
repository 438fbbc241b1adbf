import type { DistrictsInternal } from '@umg/contracts';

export type ServicePhase = DistrictsInternal.components['schemas']['ServicePhase'];

/** A service's rollout in one district: forward a step at a time; pilot and live can be suspended and come back. */
const allowedMoves: Record<ServicePhase, readonly ServicePhase[]> = {
  not_started: ['pilot'],
  pilot: ['live', 'suspended'],
  live: ['suspended'],
  suspended: ['pilot', 'live'],
};

export function canMoveServicePhase(from: ServicePhase, to: ServicePhase): boolean {
  return allowedMoves[from].includes(to);
}

/** Services in these phases are offered to applicants (published in the district's offerings). */
export function isOffered(phase: ServicePhase): boolean {
  return phase === 'pilot' || phase === 'live';
}
