import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { IsoDate } from '@umg/calendar';
import type { Logger } from '@umg/logging';
import { RecomputeDueTimesService } from '../deadlines/recompute-due-times.service';
import { InjectLogger } from '../inject-logger';
import { CalendarError, CalendarErrorCode } from './calendar-error';
import {
  decreeDayColumns,
  type DecreeDayChange,
  type DecreeDayEntry,
  type DecreeDayRow,
  toDecreeDay,
} from './decree-day';
import { WorkingCalendar } from './working-calendar';

/** The years the statutory calendar is modelled for (art. 154(2) substitutes since 2017). */
const firstYear = 2017;
const lastYear = 2100;

/**
 * An administrator enters or deletes a day moved by government decree. One transaction: the
 * decree day, the due times of the open applications whose term spans it, and the audit entry.
 * Every instance reads decree days from the database when it computes a deadline, so the change
 * counts everywhere from the commit on.
 */
@Injectable()
export class ChangeDecreeDaysService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly calendars: WorkingCalendar,
    private readonly recompute: RecomputeDueTimesService,
    @InjectLogger() private readonly logger: Logger,
  ) {}

  enter(entry: DecreeDayEntry, actor: string, now = new Date()): Promise<DecreeDayChange> {
    const year = IsoDate.year(entry.date);
    if (year < firstYear || year > lastYear) {
      throw new CalendarError(
        CalendarErrorCode.DateOutOfRange,
        `the calendar covers ${firstYear} to ${lastYear}, not ${entry.date}`,
      );
    }
    return this.dataSource.transaction(async (manager) => {
      // One change of the calendar at a time: two entries for the same day, or an entry racing a
      // deletion, would otherwise each recompute with a calendar missing the other.
      await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', ['applications:decree-days']);
      const [existing] = (await manager.query(
        `SELECT ${decreeDayColumns} FROM applications.decree_day WHERE day = $1 AND deleted_at IS NULL`,
        [entry.date],
      )) as DecreeDayRow[];
      if (existing) {
        throw new CalendarError(
          CalendarErrorCode.DecreeDayExists,
          `${entry.date} is already a decreed ${existing.kind.replace('_', ' ')} (${existing.decree_reference}); delete it first`,
        );
      }
      const working = (await this.calendars.current(manager)).isWorkingDay(entry.date);
      if (working === (entry.kind === 'working_day')) {
        throw new CalendarError(
          CalendarErrorCode.DecreeDayChangesNothing,
          `${entry.date} already is a ${working ? 'working day' : 'day off'}`,
        );
      }
      const [row] = (await manager.query(
        `INSERT INTO applications.decree_day (day, kind, decree_reference, note, entered_by, entered_at)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${decreeDayColumns}`,
        [entry.date, entry.kind, entry.decreeReference.trim(), entry.note?.trim() || null, actor, now],
      )) as DecreeDayRow[];
      const recomputed = await this.recompute.spanning(manager, entry.date);
      await this.audit(manager, row!, 'entered', actor, now, null, recomputed);
      this.logger.info(
        { date: entry.date, kind: entry.kind, decree: row!.decree_reference, actor, recomputed },
        'decree day entered',
      );
      return { decreeDay: toDecreeDay(row!), recomputedApplications: recomputed };
    });
  }

  delete(id: number, reason: string, actor: string, now = new Date()): Promise<DecreeDayChange> {
    return this.dataSource.transaction(async (manager) => {
      await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', ['applications:decree-days']);
      const [existing] = (await manager.query(
        `SELECT ${decreeDayColumns} FROM applications.decree_day WHERE id = $1 FOR UPDATE`,
        [id],
      )) as DecreeDayRow[];
      if (!existing) throw new CalendarError(CalendarErrorCode.DecreeDayNotFound, `no decree day ${id}`);
      if (existing.deleted_at) {
        throw new CalendarError(
          CalendarErrorCode.DecreeDayDeleted,
          `decree day ${id} was deleted by ${existing.deleted_by} on ${new Date(existing.deleted_at).toISOString()}`,
        );
      }
      // An UPDATE answers [rows, count].
      const [[deleted]] = (await manager.query(
        `UPDATE applications.decree_day SET deleted_by = $2, deleted_at = $3, deletion_reason = $4
         WHERE id = $1 RETURNING ${decreeDayColumns}`,
        [id, actor, now, reason.trim()],
      )) as [DecreeDayRow[], number];
      if (!deleted) throw new CalendarError(CalendarErrorCode.DecreeDayNotFound, `no decree day ${id}`);
      const recomputed = await this.recompute.spanning(manager, deleted.day);
      await this.audit(manager, deleted, 'deleted', actor, now, reason.trim(), recomputed);
      this.logger.info({ date: deleted.day, actor, recomputed }, 'decree day deleted');
      return { decreeDay: toDecreeDay(deleted), recomputedApplications: recomputed };
    });
  }

  private async audit(
    manager: EntityManager,
    row: DecreeDayRow,
    action: 'entered' | 'deleted',
    actor: string,
    at: Date,
    reason: string | null,
    recomputed: number,
  ): Promise<void> {
    await manager.query(
      `INSERT INTO applications.decree_day_audit
         (decree_day_id, action, actor, at, day, kind, decree_reference, reason, applications_recomputed)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [row.id, action, actor, at, row.day, row.kind, row.decree_reference, reason, recomputed],
    );
  }
}
