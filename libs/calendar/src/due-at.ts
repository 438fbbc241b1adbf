import type { BulgarianCalendar } from './bulgarian-calendar';
import { computeDeadline } from './compute-deadline';
import type { DeadlinePause } from './deadline-pause';
import type { DeadlineTerm } from './deadline-term';
import { WorkingTime } from './working-time';

export interface DueAtExplained {
  /** The deadline of the term counted from its start, as if the clock never stopped. */
  termDueAt: Date;
  /** Working time the clock stood still in the finished pauses, added to termDueAt. */
  pausedWorkingMs: number;
  dueAt: Date;
}

/**
 * The due time of a term that started at `termStartedAt` and stood still during `pauses`: the
 * term's own deadline (computeDeadline) moved on by the working time of every finished pause, so
 * the working time left when the clock stopped is what is left when it runs again (carried over,
 * not restarted). A pause still open is not counted yet: it is added when the clock resumes.
 */
export function dueAtWithPauses(
  calendar: BulgarianCalendar,
  termStartedAt: Date,
  term: DeadlineTerm,
  pauses: readonly DeadlinePause[],
): DueAtExplained {
  const termDueAt = computeDeadline(calendar, termStartedAt, term);
  const pausedWorkingMs = pauses.reduce(
    (sum, pause) => sum + (pause.resumedAt ? WorkingTime.between(calendar, pause.pausedAt, pause.resumedAt) : 0),
    0,
  );
  return { termDueAt, pausedWorkingMs, dueAt: WorkingTime.add(calendar, termDueAt, pausedWorkingMs) };
}
