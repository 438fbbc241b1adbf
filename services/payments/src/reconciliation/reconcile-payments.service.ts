import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Logger } from '@umg/logging';
import type { PaymentsConfig } from '../config';
import { InjectLogger } from '../inject-logger';
import { PaymentRequests } from '../payment-request/payment-requests';
import { openPaymentStatuses } from '../payment-request/payment-request-status';
import { PaymentStatusRecorder } from '../payment-request/payment-status-recorder';
import { PAYMENTS_CONFIG } from '../payments-config.token';
import { parsePaymentStatus } from '../payment-system/egov-payment-status';
import { PaymentSystemClient } from '../payment-system/payment-system.client';

export interface ReconciliationRun {
  checked: number;
  repaired: number;
}

// One run at a time across every instance (a session-level PostgreSQL advisory lock).
const lockKey = 'payments.reconciliation';
const batchSize = 50;
const maxPerRun = 5_000;

/**
 * Repairs what notifications missed: asks the payment system for the status of requests that
 * have sat in a non-final status for a while and records the answers like notifications.
 */
@Injectable()
export class ReconcilePaymentsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly requests: PaymentRequests,
    private readonly recorder: PaymentStatusRecorder,
    private readonly paymentSystem: PaymentSystemClient,
    @Inject(PAYMENTS_CONFIG) private readonly config: PaymentsConfig,
    @InjectLogger() private readonly logger: Logger,
  ) {}

  /** Runs once; undefined when another instance is already running it. */
  async run(): Promise<ReconciliationRun | undefined> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      const [lock] = (await runner.query(`SELECT pg_try_advisory_lock(hashtext($1)) AS locked`, [lockKey])) as {
        locked: boolean;
      }[];
      if (!lock?.locked) return undefined;
      try {
        return await this.reconcile();
      } finally {
        await runner.query(`SELECT pg_advisory_unlock(hashtext($1))`, [lockKey]);
      }
    } finally {
      await runner.release();
    }
  }

  private async reconcile(): Promise<ReconciliationRun> {
    const stuck = (await this.dataSource.query(
      `SELECT id, payment_system_id FROM payments.payment_request
        WHERE status = ANY($1) AND payment_system_id IS NOT NULL
          AND status_changed_at <= now() - make_interval(secs => $2)
        ORDER BY status_changed_at LIMIT $3`,
      [openPaymentStatuses, this.config.PAYMENTS_RECONCILIATION_STALE_MS / 1000, maxPerRun],
    )) as { id: string; payment_system_id: string }[];
    const run: ReconciliationRun = { checked: 0, repaired: 0 };
    for (let start = 0; start < stuck.length; start += batchSize) {
      const batch = stuck.slice(start, start + batchSize);
      const byPaymentSystemId = new Map(batch.map((row) => [row.payment_system_id, row.id]));
      const reported = await this.paymentSystem.statuses([...byPaymentSystemId.keys()]);
      run.checked += batch.length;
      for (const entry of reported) {
        const requestId = byPaymentSystemId.get(entry.paymentSystemId);
        const status = parsePaymentStatus(entry.status);
        const changeTime = typeof entry.changeTime === 'string' ? new Date(entry.changeTime) : undefined;
        if (!requestId || !status || !changeTime || Number.isNaN(changeTime.getTime())) continue;
        const decision = await this.dataSource.transaction(async (manager) => {
          const request = await this.requests.lock(manager, requestId);
          if (!request || request.status === status) return 'duplicate';
          return this.recorder.record(manager, request, { status, changeTime }, 'reconciliation');
        });
        if (decision === 'apply') run.repaired += 1;
      }
    }
    if (run.checked > 0) this.logger.info(run, 'reconciliation run finished');
    return run;
  }
}
