import type { BulgarianCalendar } from './bulgarian-calendar';
import { IsoDate } from './iso-date';
import { SofiaTime } from './sofia-time';

/** Start of a Sofia day (00:00 local) as an instant: one millisecond after the end of the day before. */
function startOfDay(isoDate: string): number {
  return SofiaTime.endOfDay(IsoDate.addDays(isoDate, -1)).getTime() + 1;
}

/**
 * Time counted on working days only: every millisecond of a Sofia working day counts, no
 * millisecond of a day off does. That is the measure of a stopped clock: an application returned
 * for corrections on Monday 10:00 and resubmitted on Wednesday 15:00 held its term for 14 h of
 * Monday, all of Tuesday and 15 h of Wednesday; a weekend in between costs nothing.
 */
export const WorkingTime = {
  /** Working milliseconds between two instants (0 if `to` is not after `from`). */
  between(calendar: BulgarianCalendar, from: Date, to: Date): number {
    let total = 0;
    let cursor = from.getTime();
    const end = to.getTime();
    while (cursor < end) {
      const day = SofiaTime.dateOf(new Date(cursor));
      const dayEnd = SofiaTime.endOfDay(day).getTime() + 1;
      const until = Math.min(dayEnd, end);
      if (calendar.isWorkingDay(day)) total += until - cursor;
      cursor = until;
    }
    return total;
  },

  /**
   * The instant `workingMs` of working time after `from`. Days off are skipped whole, so moving
   * the end of a working day by whole days of working time lands at the end of a working day.
   */
  add(calendar: BulgarianCalendar, from: Date, workingMs: number): Date {
    if (!Number.isFinite(workingMs) || workingMs < 0) throw new Error(`WorkingTime.add: invalid amount ${workingMs}`);
    let cursor = from.getTime();
    let left = workingMs;
    let day = SofiaTime.dateOf(from);
    while (left > 0) {
      const dayEnd = SofiaTime.endOfDay(day).getTime() + 1;
      if (calendar.isWorkingDay(day)) {
        const available = dayEnd - cursor;
        if (left <= available) return new Date(cursor + left);
        left -= available;
      }
      day = IsoDate.addDays(day, 1);
      cursor = startOfDay(day);
    }
    return new Date(cursor);
  },
};
