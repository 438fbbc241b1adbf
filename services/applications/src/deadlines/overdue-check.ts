import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { type ApplicationOverdue, cloudEventTypes } from '@umg/contracts';
import type { Logger } from '@umg/logging';
import { Outbox, Topics } from '@umg/messaging';
import { APPLICATIONS_CONFIG } from '../applications-config.token';
import type { ApplicationsConfig } from '../config';
import { InjectLogger } from '../inject-logger';

interface OverdueRow {
  id: string;
  district_code: string;
  service_number: number;
  urgency: ApplicationOverdue['urgency'];
  status: ApplicationOverdue['status'];
  due_at: Date;
}

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
 * Flags open applications past their due time, once each, and raises an ApplicationOverdue event.
 * Runs on every instance but works on one at a time (a transaction-scoped advisory lock).
 */
@Injectable()
export class OverdueCheck implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: Outbox,
    @Inject(APPLICATIONS_CONFIG) private readonly config: ApplicationsConfig,
    @InjectLogger() private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      this.runOnce().catch((error: unknown) => this.logger.warn({ err: error }, 'overdue check failed'));
    }, this.config.APPLICATIONS_OVERDUE_CHECK_INTERVAL_MS);
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  runOnce(now = new Date()): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      const [lock] = (await manager.query('SELECT pg_try_advisory_xact_lock(hashtext($1)) AS locked', [
        'applications:overdue-check',
      ])) as { locked: boolean }[];
      if (!lock?.locked) return 0;
      const [rows] = (await manager.query(
        `UPDATE applications.application SET overdue_at = $1
         WHERE id IN (
           SELECT id FROM applications.application
           WHERE overdue_at IS NULL AND due_at < $1 AND status <> ALL($2::text[])
           ORDER BY due_at LIMIT 500 FOR UPDATE SKIP LOCKED)
         RETURNING id, district_code, service_number, urgency, status, due_at`,
        [now, closedStatuses],
      )) as [OverdueRow[], number];
      await this.outbox.enqueue(
        manager,
        rows.map((row) => ({
          topic: Topics.applicationEvents,
          key: row.id,
          type: cloudEventTypes.ApplicationOverdue,
          payload: {
            applicationId: row.id,
            districtCode: row.district_code,
            serviceNumber: row.service_number,
            urgency: row.urgency,
            status: row.status,
            dueAt: new Date(row.due_at).toISOString(),
            detectedAt: now.toISOString(),
          } satisfies ApplicationOverdue,
        })),
      );
      if (rows.length > 0) this.logger.info({ count: rows.length }, 'applications became overdue');
      return rows.length;
    });
  }
}
