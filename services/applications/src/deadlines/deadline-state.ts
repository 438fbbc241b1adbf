import { type BulgarianCalendar, computeDeadline } from '@umg/calendar';
import type { ApplicationEntity } from '../application/application.entity';

/** Statuses in which the district no longer owes the applicant anything. */
export const closedStatuses = [
  'delivered',
  'refused',
  'withdrawn',
  'awaiting_collection',
  'handed_over',
  'expired_unpaid',
];

/**
 * A status filter that only open statuses pass may also say `a.is_open`: the partial index of
 * open applications (migration HotApplicationUpdates1770660000000) then finds them without
 * walking the district's closed history, and no index holds the status itself.
 */
export function onlyOpenStatuses(statuses: readonly string[]): boolean {
  return statuses.length > 0 && statuses.every((status) => !closedStatuses.includes(status));
}

/** Open applications due within this many working days are due soon (at risk on the console). */
export const dueSoonWorkingDays = 2;

export type DeadlineState = 'not_started' | 'on_time' | 'due_soon' | 'overdue' | 'paused' | 'closed';

/** The instant against which deadlines are judged, and the end of the due-soon window from it. */
export interface DeadlineWindow {
  now: Date;
  dueSoonUntil: Date;
}

export function deadlineWindow(calendar: BulgarianCalendar, now = new Date()): DeadlineWindow {
  return { now, dueSoonUntil: computeDeadline(calendar, now, { unit: 'working_days', amount: dueSoonWorkingDays }) };
}

type DeadlineSource = Pick<ApplicationEntity, 'status' | 'dueAt' | 'pausedSince' | 'termStartsAt' | 'termStartedAt'>;

/**
 * Where an application stands against its deadline. A paused application (returned for
 * corrections) is `paused` whatever its due time: the clock stands still until it comes back.
 */
export function deadlineStateOf(application: DeadlineSource, window: DeadlineWindow): DeadlineState {
  if (closedStatuses.includes(application.status)) return 'closed';
  if (application.pausedSince) return 'paused';
  if (!application.dueAt) return 'not_started';
  if (application.dueAt < window.now) return 'overdue';
  return application.dueAt <= window.dueSoonUntil ? 'due_soon' : 'on_time';
}
