import { Inject, Injectable } from '@nestjs/common';
import { DataSource, In } from 'typeorm';
import type { Logger } from '@umg/logging';
import type { PaymentsConfig } from '../config';
import { ConfirmStatusesService } from '../confirmation/confirm-statuses.service';
import { InjectLogger } from '../inject-logger';
import { PaymentRequestEntity } from '../payment-request/payment-request.entity';
import { openPaymentStatuses } from '../payment-request/payment-request-status';
import { PAYMENTS_CONFIG } from '../payments-config.token';
import { PaymentSystemClients } from '../payment-system/payment-system-clients';
import { type PaymentSystemCredentials, PaymentSystemUnauthorizedError } from '../payment-system/payment-system.client';

/** One request reconciliation changed. */
export interface ReconciliationChange {
  paymentRequestId: string;
  applicationId: string;
  aisPaymentId: string;
  districtCode: string;
  from: string;
  to: string;
}

export interface ReconciliationRun {
  checked: number;
  repaired: number;
  /** Clients skipped because the payment system refuses their credentials (or no secret is known). */
  skippedClients: string[];
  changes: ReconciliationChange[];
}

// One run at a time across every instance (a session-level PostgreSQL advisory lock).
const lockKey = 'payments.reconciliation';
// paymentsStatus takes a list; the batch is one client's.
const batchSize = 50;
const maxPerRun = 5_000;

/**
 * Repairs what notifications missed: asks the payment system (`paymentsStatus`, in batches per
 * client) for the status of requests that have sat in a non-final status for a while, records
 * the answers like confirmed notifications, and reports every request it changed.
 */
@Injectable()
export class ReconcilePaymentsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clients: PaymentSystemClients,
    private readonly confirmStatuses: ConfirmStatusesService,
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
      `SELECT id, coalesce(payment_system_client_id, $4) AS client_id FROM payments.payment_request
        WHERE status = ANY($1) AND payment_system_id IS NOT NULL
          AND status_changed_at <= now() - make_interval(secs => $2)
        ORDER BY status_changed_at LIMIT $3`,
      [
        openPaymentStatuses,
        this.config.PAYMENTS_RECONCILIATION_STALE_MS / 1000,
        maxPerRun,
        this.clients.municipalityClientId,
      ],
    )) as { id: string; client_id: string }[];
    const run: ReconciliationRun = { checked: 0, repaired: 0, skippedClients: [], changes: [] };
    const byClient = new Map<string, string[]>();
    for (const row of stuck) byClient.set(row.client_id, [...(byClient.get(row.client_id) ?? []), row.id]);
    for (const [clientId, ids] of byClient) {
      const usable = await this.dataSource.transaction(async (manager) =>
        (await this.clients.heldUntil(manager, clientId)) ? undefined : this.clients.credentials(manager, clientId),
      );
      if (!usable) {
        run.skippedClients.push(clientId);
        continue;
      }
      for (let start = 0; start < ids.length; start += batchSize) {
        const batch = ids.slice(start, start + batchSize);
        try {
          await this.reconcileBatch(batch, usable, run);
        } catch (error) {
          if (!(error instanceof PaymentSystemUnauthorizedError)) throw error;
          await this.dataSource.transaction((manager) =>
            this.clients.markUnauthorized(manager, clientId, error.message),
          );
          run.skippedClients.push(clientId);
          break;
        }
      }
    }
    if (run.checked > 0 || run.skippedClients.length > 0) {
      this.logger.info(
        { checked: run.checked, repaired: run.repaired, skippedClients: run.skippedClients },
        'reconciliation run finished',
      );
    }
    return run;
  }

  private async reconcileBatch(batch: string[], credentials: PaymentSystemCredentials, run: ReconciliationRun) {
    await this.dataSource.transaction(async (manager) => {
      const requests = await manager.find(PaymentRequestEntity, {
        where: { id: In(batch) },
        order: { id: 'ASC' },
        lock: { mode: 'pessimistic_write' },
      });
      const changes = await this.confirmStatuses.confirm(manager, requests, credentials, 'reconciliation');
      run.checked += requests.length;
      for (const change of changes.filter((candidate) => candidate.decision === 'apply')) {
        run.repaired += 1;
        run.changes.push({
          paymentRequestId: change.request.id,
          applicationId: change.request.applicationId,
          aisPaymentId: change.request.aisPaymentId,
          districtCode: change.request.districtCode,
          from: change.from,
          to: change.request.status,
        });
      }
    });
  }
}
