import Holidays from 'date-holidays';

import type { CalendarOverrides } from './calendar-overrides';
import type { DayOff } from './day-off';
import { IsoDate } from './iso-date';

// Shared by all calendars; getHolidays() costs a few ms per call, hence the per-year cache below.
const bgHolidays = new Holidays('BG', { languages: 'en' });

interface StatutoryHoliday {
  date: string;
  name: string;
  easter: boolean;
}

interface YearData {
  list: readonly DayOff[];
  dates: ReadonlySet<string>;
}

/**
 * Bulgaria's working-day calendar (Labour Code art. 154) with Council of Ministers overrides.
 *
 * Base dates and Orthodox Easter come from date-holidays ('BG'). That data needs corrections,
 * applied in statutoryHolidays() below:
 * - 26 Dec is typed 'observance' ("Boxing Day"), but art. 154(1) makes 25 and 26 Dec holidays;
 * - Holy Saturday (art. 154(1)) is missing;
 * - observances (Baba Marta, Women's Day, 7 May) and 1 Nov (schools only) are not days off;
 * - there is no weekend substitution, so art. 154(2) is applied here.
 * The substitution rule is in force since 2017; earlier years are not modelled.
 */
export class BulgarianCalendar {
  private readonly extraDaysOff: ReadonlySet<string>;
  private readonly extraWorkingDays: ReadonlySet<string>;
  private readonly years = new Map<number, YearData>();

  constructor(overrides: CalendarOverrides = {}) {
    const validated = (dates: string[] = []): Set<string> => {
      dates.forEach((d) => IsoDate.toUtcMs(d)); // throws on a malformed date
      return new Set(dates);
    };
    this.extraDaysOff = validated(overrides.extraDaysOff);
    this.extraWorkingDays = validated(overrides.extraWorkingDays);
    const conflict = Array.from(this.extraDaysOff).find((d) => this.extraWorkingDays.has(d));
    if (conflict) throw new Error(`Calendar override ${conflict} is both an extra day off and an extra working day`);
  }

  isWorkingDay(isoDate: string): boolean {
    // A decreed working day wins over everything (typically a Saturday worked to make up a bridge day).
    if (this.extraWorkingDays.has(isoDate)) return true;
    if (IsoDate.isWeekend(isoDate)) return false;
    return !this.yearData(IsoDate.year(isoDate)).dates.has(isoDate);
  }

  /** Holidays (also those on weekends), substitute days and decreed days off, sorted by date. */
  daysOff(year: number): DayOff[] {
    return [...this.yearData(year).list];
  }

  /**
   * Moves n working days forward (backward if n < 0); the start day itself is not counted,
   * so from a non-working day addWorkingDays(d, 1) is the next working day.
   */
  addWorkingDays(isoDate: string, n: number): string {
    if (!Number.isInteger(n)) throw new Error(`Working days must be an integer, got ${n}`);
    const step = Math.sign(n);
    IsoDate.toUtcMs(isoDate); // validate even when n is 0
    let date = isoDate;
    for (let left = Math.abs(n); left > 0;) {
      date = IsoDate.addDays(date, step);
      if (this.isWorkingDay(date)) left--;
    }
    return date;
  }

  private yearData(year: number): YearData {
    let data = this.years.get(year);
    if (!data) {
      data = this.buildYear(year);
      this.years.set(year, data);
    }
    return data;
  }

  private buildYear(year: number): YearData {
    if (!Number.isInteger(year) || year < 1000 || year > 9999) throw new Error(`Invalid year: ${year}`);
    const holidays = statutoryHolidays(year);
    const byDate = new Map<string, DayOff>();
    for (const h of holidays) {
      const same = byDate.get(h.date);
      // Two holidays can share a date (2024-05-06: St George's Day and Easter Monday).
      byDate.set(h.date, { date: h.date, name: same ? `${same.name} / ${h.name}` : h.name, reason: 'holiday' });
    }

    // Art. 154(2): a holiday other than the Easter days that falls on a Saturday or Sunday gives the
    // first working day after it off. Going in date order and skipping days already off moves the
    // 24-26 Dec block as a whole (2021: 25 Sat, 26 Sun -> 27 and 28 Dec) and skips Easter Monday
    // (2027: 1 May Sat -> 4 May, as it was in 2021 with the same Easter date).
    // Substitutes never cross into the next year (the latest possible one is 28 Dec).
    const weekendHolidays = holidays.filter((h) => !h.easter && IsoDate.isWeekend(h.date));
    for (const h of weekendHolidays) {
      let date = IsoDate.addDays(h.date, 1);
      while (IsoDate.isWeekend(date) || byDate.has(date)) date = IsoDate.addDays(date, 1);
      byDate.set(date, { date, name: `${h.name} (substitute for ${h.date})`, reason: 'substitute' });
    }

    // Decrees are applied last: the statutory substitutes do not depend on them.
    this.extraDaysOff.forEach((date) => {
      if (IsoDate.year(date) === year && !byDate.has(date)) {
        byDate.set(date, { date, name: 'Day off by Council of Ministers decision', reason: 'decree' });
      }
    });
    this.extraWorkingDays.forEach((date) => byDate.delete(date));

    const list = Array.from(byDate.values())
      .sort((a, b) => a.date.localeCompare(b.date))
      .map((d) => Object.freeze(d));
    return { list, dates: new Set(byDate.keys()) };
  }
}

/** Official holidays of art. 154(1) for a year, in date order, built from date-holidays plus corrections. */
function statutoryHolidays(year: number): StatutoryHoliday[] {
  const result: StatutoryHoliday[] = [];
  let easterSunday: string | undefined;
  for (const h of bgHolidays.getHolidays(year, 'en')) {
    if (h.substitute) continue; // none today; we apply art. 154(2) ourselves
    const date = h.date.slice(0, 10); // 'YYYY-MM-DD hh:mm:ss', already Sofia-local
    const easter = h.rule.startsWith('orthodox');
    if (h.rule === 'orthodox') easterSunday = date;
    if (h.type === 'public') {
      result.push({ date, name: h.name, easter });
    } else if (date.endsWith('-12-26')) {
      // Library: 'observance' named "Boxing Day"; in Bulgaria it is the 2nd day of Christmas, a holiday.
      result.push({ date, name: 'Christmas (second day)', easter: false });
    }
  }
  if (!easterSunday) throw new Error(`date-holidays returned no Orthodox Easter for ${year}`);
  // Library omits Holy Saturday. It is always a Saturday and an Easter day (no substitute),
  // so on its own it never changes working days, but daysOff() should list it. It can coincide
  // with 1 May (2021, 2027); Labour Day then still gets its substitute, as it did in 2021.
  const holySaturday = IsoDate.addDays(easterSunday, -1);
  if (!result.some((h) => h.easter && h.date === holySaturday)) {
    result.push({ date: holySaturday, name: 'Holy Saturday', easter: true });
  }
  return result.sort((a, b) => a.date.localeCompare(b.date));
}
