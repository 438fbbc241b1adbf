import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { BulgarianCalendar } from '@umg/calendar';

export interface DecreeDayRow {
  day: string;
  kind: 'working_day' | 'day_off';
}

/**
 * The decree days in force as one JSON array of DecreeDayRow, for a read that needs the calendar
 * with its other data (an application's view, a payment outcome): one round trip instead of two.
 */
export const decreeDaysInForce = `(SELECT coalesce(json_agg(json_build_object('day', to_char(d.day, 'YYYY-MM-DD'), 'kind', d.kind)
    ORDER BY d.day), '[]'::json) FROM applications.decree_day d WHERE d.deleted_at IS NULL)`;

/**
 * The Bulgarian calendar with the decree days in force, read from the database on every use so
 * that a day entered through one instance counts at once on all of them. The calendar object
 * (its per-year holiday tables) is rebuilt only when the set of decree days changed.
 */
@Injectable()
export class WorkingCalendar {
  private cached: { signature: string; calendar: BulgarianCalendar } = {
    signature: '',
    calendar: new BulgarianCalendar(),
  };

  constructor(private readonly dataSource: DataSource) {}

  /** Pass the transaction's manager to see decree days it has just entered or deleted. */
  async current(manager: EntityManager = this.dataSource.manager): Promise<BulgarianCalendar> {
    const rows = (await manager.query(
      `SELECT to_char(day, 'YYYY-MM-DD') AS day, kind FROM applications.decree_day WHERE deleted_at IS NULL ORDER BY day`,
    )) as DecreeDayRow[];
    return this.of(rows);
  }

  /** The calendar with these decree days (as `decreeDaysInForce` reads them, in order of day). */
  of(rows: DecreeDayRow[]): BulgarianCalendar {
    const signature = rows.map((row) => `${row.day}:${row.kind}`).join(',');
    if (signature !== this.cached.signature) {
      const calendar = new BulgarianCalendar({
        extraDaysOff: rows.filter((row) => row.kind === 'day_off').map((row) => row.day),
        extraWorkingDays: rows.filter((row) => row.kind === 'working_day').map((row) => row.day),
      });
      this.cached = { signature, calendar };
    }
    return this.cached.calendar;
  }
}
