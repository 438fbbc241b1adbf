import type { BulgarianCalendar } from './bulgarian-calendar';
import type { DeadlineTerm } from './deadline-term';
import { IsoDate } from './iso-date';
import { SofiaTime } from './sofia-time';

const HOUR_MS = 3_600_000;

/**
 * The instant a service's processing deadline expires. Days are Sofia local days; a deadline that
 * ends on a day ends at 23:59:59.999 Sofia time on that day.
 *
 * - 'immediate': end of the submission day; submitted on a day off -> end of the next working day.
 * - 'working_days' N: a submission on a day off is treated as received on the next working day
 *   (as the registry office would register it); the deadline is the end of the N-th working day
 *   after that day. So Friday + 1 -> Monday; Saturday + 1 -> Tuesday.
 * - 'calendar_days' N: end of the N-th calendar day after the submission day; if that day is not a
 *   working day, the end of the next working day (a term expiring on a day off runs to the next
 *   working day, the usual Bulgarian rule for terms counted in days).
 * - 'hours' N: submittedAt + N elapsed hours (so DST changes shift the wall-clock time). If that
 *   instant falls on a day off, the deadline moves to the end of the next working day: the office
 *   cannot be expected to deliver on a day off, and "end of day" matches the day-based terms.
 *   On a working day the exact instant is kept, even outside office hours (no hours are modelled).
 */
export function computeDeadline(calendar: BulgarianCalendar, submittedAt: Date, term: DeadlineTerm): Date {
  const submittedMs = submittedAt.getTime();
  if (Number.isNaN(submittedMs)) throw new Error('computeDeadline: submittedAt is an invalid Date');
  const amount = term.amount;
  const validAmount = term.unit === 'hours' ? Number.isFinite(amount) : Number.isInteger(amount);
  if (!validAmount || amount < 0) throw new Error(`computeDeadline: invalid amount ${amount} for ${term.unit}`);

  const onOrNextWorkingDay = (date: string): string =>
    calendar.isWorkingDay(date) ? date : calendar.addWorkingDays(date, 1);
  const submittedDay = SofiaTime.dateOf(submittedAt);

  switch (term.unit) {
    case 'immediate':
      return SofiaTime.endOfDay(onOrNextWorkingDay(submittedDay));
    case 'working_days':
      return SofiaTime.endOfDay(calendar.addWorkingDays(onOrNextWorkingDay(submittedDay), amount));
    case 'calendar_days':
      return SofiaTime.endOfDay(onOrNextWorkingDay(IsoDate.addDays(submittedDay, amount)));
    case 'hours': {
      const due = new Date(submittedMs + amount * HOUR_MS);
      const dueDay = SofiaTime.dateOf(due);
      return calendar.isWorkingDay(dueDay) ? due : SofiaTime.endOfDay(calendar.addWorkingDays(dueDay, 1));
    }
    default: {
      const unknown: never = term.unit;
      throw new Error(`computeDeadline: unknown unit ${String(unknown)}`);
    }
  }
}
