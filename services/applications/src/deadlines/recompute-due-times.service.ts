import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { type DeadlinePause, type DeadlineTerm, dueAtWithPauses } from '@umg/calendar';
import { WorkingCalendar } from '../calendar/working-calendar';
import { closedStatuses } from './deadline-state';

interface OpenTermRow {
  id: string;
  term_unit: DeadlineTerm['unit'];
  term_amount: string;
  term_started_at: Date;
  due_at: Date | null;
}

/**
 * After the calendar changed on a day: recomputes, in the caller's transaction, the due time of
 * every open application whose term spans that day (started on or before it and not due before
 * it, or with its clock stopped), with the calendar as it now stands. Returns how many moved.
 */
@Injectable()
export class RecomputeDueTimesService {
  constructor(private readonly calendars: WorkingCalendar) {}

  async spanning(manager: EntityManager, day: string): Promise<number> {
    const calendar = await this.calendars.current(manager);
    const rows = (await manager.query(
      `SELECT id, term_unit, term_amount, term_started_at, due_at FROM applications.application
        WHERE status <> ALL($1::text[]) AND term_unit IS NOT NULL AND term_started_at IS NOT NULL
          AND (term_started_at AT TIME ZONE 'Europe/Sofia')::date <= $2::date
          AND (paused_since IS NOT NULL OR (due_at AT TIME ZONE 'Europe/Sofia')::date >= $2::date)
        ORDER BY id FOR UPDATE`,
      [closedStatuses, day],
    )) as OpenTermRow[];
    if (rows.length === 0) return 0;
    const pauseRows = (await manager.query(
      `SELECT application_id, paused_at, resumed_at FROM applications.deadline_pause
        WHERE application_id = ANY($1::uuid[]) ORDER BY id`,
      [rows.map((row) => row.id)],
    )) as { application_id: string; paused_at: Date; resumed_at: Date | null }[];
    const pauses = new Map<string, DeadlinePause[]>();
    for (const pause of pauseRows) {
      const list = pauses.get(pause.application_id) ?? [];
      list.push({ pausedAt: new Date(pause.paused_at), resumedAt: pause.resumed_at && new Date(pause.resumed_at) });
      pauses.set(pause.application_id, list);
    }
    let moved = 0;
    for (const row of rows) {
      const term = { unit: row.term_unit, amount: Number(row.term_amount) };
      const { dueAt } = dueAtWithPauses(calendar, new Date(row.term_started_at), term, pauses.get(row.id) ?? []);
      if (row.due_at && new Date(row.due_at).getTime() === dueAt.getTime()) continue;
      await manager.query(`UPDATE applications.application SET due_at = $2 WHERE id = $1`, [row.id, dueAt]);
      moved++;
    }
    return moved;
  }
}
