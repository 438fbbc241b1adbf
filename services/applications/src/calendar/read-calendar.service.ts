import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { IsoDate } from '@umg/calendar';
import type { ApplicationsInternal } from '@umg/contracts';
import { decreeDayColumns, type DecreeDay, type DecreeDayRow, toDecreeDay } from './decree-day';
import { WorkingCalendar } from './working-calendar';

type Schemas = ApplicationsInternal.components['schemas'];

/** Decree days, the year's calendar as deadlines count it, and the calendar's audit trail. */
@Injectable()
export class ReadCalendarService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly calendars: WorkingCalendar,
  ) {}

  async decreeDays(year?: number): Promise<DecreeDay[]> {
    const rows = (await this.dataSource.query(
      `SELECT ${decreeDayColumns} FROM applications.decree_day
        WHERE $1::int IS NULL OR extract(year FROM day) = $1 ORDER BY day, id`,
      [year ?? null],
    )) as DecreeDayRow[];
    return rows.map(toDecreeDay);
  }

  async year(year: number): Promise<Schemas['CalendarYear']> {
    const calendar = await this.calendars.current();
    const decreedWorking = (await this.dataSource.query(
      `SELECT to_char(day, 'YYYY-MM-DD') AS day, decree_reference FROM applications.decree_day
        WHERE deleted_at IS NULL AND kind = 'working_day' AND extract(year FROM day) = $1`,
      [year],
    )) as { day: string; decree_reference: string }[];
    const days: Schemas['CalendarDay'][] = [
      ...calendar.daysOff(year).map((day) => ({ date: day.date, name: day.name, reason: day.reason })),
      ...decreedWorking
        .filter((row) => IsoDate.isWeekend(row.day))
        .map((row) => ({
          date: row.day,
          name: `Working day by decree (${row.decree_reference})`,
          reason: 'decreed_working_day' as const,
        })),
    ];
    return { year, days: days.sort((a, b) => a.date.localeCompare(b.date)) };
  }

  async audit(limit: number): Promise<Schemas['CalendarAuditEntry'][]> {
    const rows = (await this.dataSource.query(
      `SELECT id, action, actor, at, to_char(day, 'YYYY-MM-DD') AS day, kind, decree_day_id, decree_reference,
              reason, applications_recomputed
         FROM applications.decree_day_audit ORDER BY id DESC LIMIT $1`,
      [limit],
    )) as {
      id: string;
      action: 'entered' | 'deleted';
      actor: string;
      at: Date;
      day: string;
      kind: DecreeDay['kind'];
      decree_day_id: string;
      decree_reference: string;
      reason: string | null;
      applications_recomputed: number;
    }[];
    return rows.map((row) => ({
      id: Number(row.id),
      action: row.action,
      actor: row.actor,
      at: new Date(row.at).toISOString(),
      decreeDayId: Number(row.decree_day_id),
      date: row.day,
      kind: row.kind,
      decreeReference: row.decree_reference,
      reason: row.reason,
      recomputedApplications: row.applications_recomputed,
    }));
  }
}
