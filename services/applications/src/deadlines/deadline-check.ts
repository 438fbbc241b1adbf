import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  type OnApplicationBootstrap,
  type OnModuleInit,
} from '@nestjs/common';
import { Counter } from 'prom-client';
import { DataSource, type EntityManager } from 'typeorm';
import { type ApplicationDueSoon, type ApplicationOverdue, cloudEventTypes } from '@umg/contracts';
import type { Logger } from '@umg/logging';
import { Outbox, PeriodicWorker, Topics } from '@umg/messaging';
import { PlatformMetrics } from '@umg/platform';
import { APPLICATIONS_CONFIG } from '../applications-config.token';
import { WorkingCalendar } from '../calendar/working-calendar';
import type { ApplicationsConfig } from '../config';
import { InjectLogger } from '../inject-logger';
import { closedStatuses, deadlineWindow } from './deadline-state';

interface AlertRow {
  id: string;
  district_code: string;
  service_number: number;
  urgency: ApplicationOverdue['urgency'];
  status: ApplicationOverdue['status'];
  due_at: Date;
}

export interface DeadlineCheckResult {
  dueSoon: number;
  overdue: number;
}

/**
 * Raises ApplicationDueSoon when an open application's due time comes within the due-soon window
 * and ApplicationOverdue when it passes, each once per application (the flag and the outbox row are
 * written in one transaction). Applications whose clock stands still are left alone. Runs on every
 * instance but works on one at a time (a transaction-scoped advisory lock).
 */
@Injectable()
export class DeadlineCheck implements OnModuleInit, OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly worker: PeriodicWorker;
  private raised: Counter<'district' | 'threshold'> | undefined;

  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: Outbox,
    private readonly calendars: WorkingCalendar,
    @Inject(PlatformMetrics) private readonly metrics: PlatformMetrics,
    @Inject(APPLICATIONS_CONFIG) config: ApplicationsConfig,
    @InjectLogger() private readonly logger: Logger,
  ) {
    this.worker = new PeriodicWorker(
      { name: 'deadline check', intervalMs: config.APPLICATIONS_OVERDUE_CHECK_INTERVAL_MS, failureLevel: 'warn' },
      logger,
      async () => void (await this.runOnce()),
    );
  }

  onModuleInit(): void {
    this.raised = new Counter({
      name: 'umg_deadline_alerts_total',
      help: 'Deadline alerts raised (ApplicationDueSoon, ApplicationOverdue), once per application and threshold, per district.',
      labelNames: ['district', 'threshold'],
      registers: [this.metrics.registry],
    });
  }

  onApplicationBootstrap(): void {
    this.worker.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.worker.stop();
  }

  async runOnce(now = new Date()): Promise<DeadlineCheckResult> {
    const { overdue, dueSoon } = await this.raise(now);
    // Counted once committed, so a rolled-back check counts nothing.
    for (const row of overdue) this.raised?.inc({ district: row.district_code, threshold: 'overdue' });
    for (const row of dueSoon) this.raised?.inc({ district: row.district_code, threshold: 'due_soon' });
    return { dueSoon: dueSoon.length, overdue: overdue.length };
  }

  private raise(now: Date): Promise<{ overdue: AlertRow[]; dueSoon: AlertRow[] }> {
    return this.dataSource.transaction(async (manager) => {
      const [lock] = (await manager.query('SELECT pg_try_advisory_xact_lock(hashtext($1)) AS locked', [
        'applications:overdue-check',
      ])) as { locked: boolean }[];
      if (!lock?.locked) return { dueSoon: [], overdue: [] };
      const window = deadlineWindow(await this.calendars.current(manager), now);
      // Overdue first: an application found past its due time is not announced as due soon too.
      const overdue = await this.flag(manager, 'overdue_at', now, `due_at < $1`, []);
      const dueSoon = await this.flag(manager, 'due_soon_at', now, `due_at >= $1 AND due_at <= $3`, [
        window.dueSoonUntil,
      ]);
      await this.outbox.enqueue(manager, [
        ...overdue.map((row) => ({
          topic: Topics.applicationEvents,
          key: row.id,
          type: cloudEventTypes.ApplicationOverdue,
          payload: { ...alertPayload(row), detectedAt: now.toISOString() } satisfies ApplicationOverdue,
        })),
        ...dueSoon.map((row) => ({
          topic: Topics.applicationEvents,
          key: row.id,
          type: cloudEventTypes.ApplicationDueSoon,
          payload: { ...alertPayload(row), detectedAt: now.toISOString() } satisfies ApplicationDueSoon,
        })),
      ]);
      if (overdue.length + dueSoon.length > 0) {
        this.logger.info({ overdue: overdue.length, dueSoon: dueSoon.length }, 'deadline alerts raised');
      }
      return { dueSoon, overdue };
    });
  }

  /**
   * Sets the flag on the open, running applications matching `condition` ($1 is now, $2 the closed
   * statuses, $3… the `extra` values) that do not have it yet.
   */
  private async flag(
    manager: EntityManager,
    column: 'overdue_at' | 'due_soon_at',
    now: Date,
    condition: string,
    extra: Date[],
  ): Promise<AlertRow[]> {
    const [rows] = (await manager.query(
      `UPDATE applications.application SET ${column} = $1
       WHERE id IN (
         SELECT id FROM applications.application
         WHERE ${column} IS NULL AND overdue_at IS NULL AND paused_since IS NULL AND due_at IS NOT NULL
           AND ${condition} AND status <> ALL($2::text[])
         ORDER BY due_at LIMIT 500 FOR UPDATE SKIP LOCKED)
       RETURNING id, district_code, service_number, urgency, status, due_at`,
      [now, closedStatuses, ...extra],
    )) as [AlertRow[], number];
    return rows;
  }
}

function alertPayload(row: AlertRow) {
  return {
    applicationId: row.id,
    districtCode: row.district_code,
    serviceNumber: row.service_number,
    urgency: row.urgency,
    status: row.status,
    dueAt: new Date(row.due_at).toISOString(),
  };
}
