import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import {
  type BulgarianCalendar,
  type DeadlinePause,
  type DeadlineTerm,
  dueAtWithPauses,
  WorkingTime,
} from '@umg/calendar';
import type { CatalogueService } from '@umg/catalogue';
import type { ApplicationEntity } from '../application/application.entity';
import { WorkingCalendar } from '../calendar/working-calendar';
import type { ApplicationStatus } from '../lifecycle/application-status';

/** The deadline fields of an application that the clock sets. */
export type DeadlineFields = Pick<
  ApplicationEntity,
  'termUnit' | 'termAmount' | 'termStartsAt' | 'termStartedAt' | 'pausedSince' | 'dueAt'
>;

export interface ClockStep {
  changes: Partial<DeadlineFields>;
  /** For the timeline entry of the transition, so the due time is explainable there. */
  details: Record<string, string | number | null>;
}

/**
 * The term's clock of an application:
 * - it starts at receipt, or at payment when the service's term runs from payment and the
 *   application's urgency charges a fee (a free urgency has nothing to wait for);
 * - it stops when the application is returned for corrections and runs again when the corrected
 *   application comes back, with the working time it stood still added to the due time (the
 *   remaining time is carried over, not restarted);
 * - while an application waits for payment the clock of a term from payment has not started; a
 *   term from submission keeps running (its service counts it from submission, the fee included).
 */
@Injectable()
export class DeadlineClock {
  constructor(private readonly calendars: WorkingCalendar) {}

  /** The deadline fields of a new application. */
  async start(
    manager: EntityManager,
    service: CatalogueService,
    urgency: string,
    receivedAt: Date,
    chargesFee: boolean,
  ): Promise<DeadlineFields> {
    const term = service.urgencies.find((offered) => offered.urgency === urgency)?.deadline ?? null;
    if (!term) {
      return {
        termUnit: null,
        termAmount: null,
        termStartsAt: null,
        termStartedAt: null,
        pausedSince: null,
        dueAt: null,
      };
    }
    const termStartsAt = service.termStartsAt === 'payment' && chargesFee ? 'payment' : 'submission';
    const termStartedAt = termStartsAt === 'submission' ? receivedAt : null;
    return {
      termUnit: term.unit,
      termAmount: term.amount,
      termStartsAt,
      termStartedAt,
      pausedSince: null,
      // A term from payment has no due time yet: no calendar to read.
      dueAt: termStartedAt
        ? dueAtWithPauses(await this.calendars.current(manager), termStartedAt, term, []).dueAt
        : null,
    };
  }

  /**
   * What a transition does to the clock: nothing for most, and then no statement either. Stopping
   * writes the pause (1 statement); resuming closes it and reads the finished ones back (1), and
   * like starting needs the calendar (1 more, unless the caller read it with the application).
   */
  async onTransition(
    manager: EntityManager,
    application: ApplicationEntity,
    to: ApplicationStatus,
    at: Date,
    calendar?: BulgarianCalendar,
  ): Promise<ClockStep | undefined> {
    const term = termOf(application);
    if (!term) return undefined;
    const from = application.status as ApplicationStatus;
    if (to === 'returned_for_corrections' && application.termStartedAt && !application.pausedSince) {
      await manager.query(`INSERT INTO applications.deadline_pause (application_id, paused_at) VALUES ($1, $2)`, [
        application.id,
        at,
      ]);
      return { changes: { pausedSince: at }, details: { deadlineClock: 'stopped' } };
    }
    if (from === 'returned_for_corrections' && to === 'routed' && application.pausedSince) {
      const working = calendar ?? (await this.calendars.current(manager));
      const pausedWorkingMs = WorkingTime.between(working, application.pausedSince, at);
      const pauses = await this.resume(manager, application.id, at, pausedWorkingMs);
      const dueAt = dueAtWithPauses(working, application.termStartedAt!, term, pauses).dueAt;
      return {
        changes: { pausedSince: null, dueAt },
        details: { deadlineClock: 'resumed', pausedWorkingMs, dueAt: dueAt.toISOString() },
      };
    }
    if (to === 'paid' && application.termStartsAt === 'payment' && !application.termStartedAt) {
      const working = calendar ?? (await this.calendars.current(manager));
      const dueAt = dueAtWithPauses(working, at, term, []).dueAt;
      return {
        changes: { termStartedAt: at, dueAt },
        details: { deadlineClock: 'started', dueAt: dueAt.toISOString() },
      };
    }
    return undefined;
  }

  /** Closes the open pause and returns every pause of the application, all finished now, in order. */
  private async resume(
    manager: EntityManager,
    applicationId: string,
    at: Date,
    workingMs: number,
  ): Promise<PauseRecord[]> {
    // The statement's own snapshot still shows the pause open: the closed one comes from RETURNING.
    const rows = (await manager.query(
      `WITH resumed AS (
         UPDATE applications.deadline_pause SET resumed_at = $2, working_ms = $3
          WHERE application_id = $1 AND resumed_at IS NULL
         RETURNING id, paused_at, resumed_at, working_ms)
       SELECT paused_at, resumed_at, working_ms FROM (
         SELECT id, paused_at, resumed_at, working_ms FROM applications.deadline_pause
          WHERE application_id = $1 AND resumed_at IS NOT NULL
         UNION ALL SELECT id, paused_at, resumed_at, working_ms FROM resumed) pause
       ORDER BY id`,
      [applicationId, at, workingMs],
    )) as PauseRow[];
    return rows.map(pauseFromRow);
  }
}

interface PauseRow {
  paused_at: Date;
  resumed_at: Date | null;
  working_ms: string | null;
}

function pauseFromRow(row: PauseRow): PauseRecord {
  return {
    pausedAt: new Date(row.paused_at),
    resumedAt: row.resumed_at && new Date(row.resumed_at),
    workingMs: row.working_ms === null ? null : Number(row.working_ms),
  };
}

/** A pause as stored: with the working time it held the term, once it ended. */
export interface PauseRecord extends DeadlinePause {
  workingMs: number | null;
}

export function termOf(application: Pick<ApplicationEntity, 'termUnit' | 'termAmount'>): DeadlineTerm | null {
  return application.termUnit !== null && application.termAmount !== null
    ? { unit: application.termUnit, amount: application.termAmount }
    : null;
}
