import { Inject, Injectable, type OnApplicationBootstrap, type BeforeApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Logger } from '@umg/logging';
import { runWithCorrelation } from '@umg/logging';
import { PeriodicWorker } from '@umg/messaging';
import { WorkNotifications } from '@umg/persistence';
import { SERVICE_LOGGER } from '@umg/platform';
import type { DeliveryConfig } from '../config';
import { DELIVERY_CONFIG } from '../delivery-config.token';
import { CheckReceiptService } from './check-receipt.service';
import { type ClaimedDelivery, DeliveryQueue } from './delivery-queue';
import { SendDeliveryService } from './send-delivery.service';

/**
 * Works the delivery queue: woken when a delivery becomes due (NOTIFY from a trigger on
 * delivery.delivery), and otherwise when the next one falls due (retries, receipt checks) or the
 * safety-net interval passes, it claims the due deliveries and sends them, or checks their
 * receipts. Runs in every instance; the queue keeps them apart.
 */
@Injectable()
export class DeliveryWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly loop: PeriodicWorker;
  private readonly notifications: WorkNotifications;

  constructor(
    private readonly dataSource: DataSource,
    private readonly queue: DeliveryQueue,
    private readonly sendDelivery: SendDeliveryService,
    private readonly checkReceipt: CheckReceiptService,
    @Inject(DELIVERY_CONFIG) private readonly config: DeliveryConfig,
    @Inject(SERVICE_LOGGER) private readonly logger: Logger,
  ) {
    this.notifications = new WorkNotifications({
      databaseUrl: config.DATABASE_URL,
      channels: ['delivery_due'],
      applicationName: 'delivery-worker-wakeups',
      onWork: () => this.loop.wake(),
      onError: (error) =>
        logger.warn({ err: error }, 'delivery worker LISTEN connection lost; polling until it is back'),
    });
    this.loop = new PeriodicWorker(
      { name: 'delivery worker', intervalMs: () => this.pollMs(), firstRoundAfterMs: 0 },
      logger,
      () => this.round(),
    );
  }

  onApplicationBootstrap(): void {
    this.notifications.start();
    this.loop.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.notifications.stop();
    await this.loop.stop();
  }

  private pollMs(): number {
    return this.notifications.listening ? this.config.DELIVERY_WAKE_SAFETY_MS : this.config.DELIVERY_POLL_INTERVAL_MS;
  }

  /** Claims and works what is due; with nothing due, one look at the next due time and no transaction. */
  private async round(): Promise<number | void> {
    try {
      const [next] = (await this.dataSource.query(
        `SELECT extract(epoch FROM min(next_attempt_at) - now()) * 1000 AS in_ms FROM delivery.delivery
          WHERE next_attempt_at IS NOT NULL`,
      )) as { in_ms: number | null }[];
      const inMs = next?.in_ms === null || next?.in_ms === undefined ? undefined : Number(next.in_ms);
      if (inMs === undefined || inMs > 0) return Math.max(1, Math.min(this.pollMs(), Math.ceil(inMs ?? Infinity)));
      const claims = await this.queue.claimDue(this.config.DELIVERY_BATCH_SIZE);
      await Promise.all(claims.map((claim) => this.work(claim)));
      // Work done: look again at once. Due rows another instance holds: after the poll interval.
      return claims.length > 0 ? 0 : this.config.DELIVERY_POLL_INTERVAL_MS;
    } catch (error) {
      // The database is away: the claimed rows' leases run out and they are taken again.
      this.logger.warn({ err: error }, 'delivery worker could not claim work; trying again');
      return this.config.DELIVERY_POLL_INTERVAL_MS;
    }
  }

  private work(claim: ClaimedDelivery): Promise<void> {
    const { delivery } = claim;
    return runWithCorrelation({ correlationId: delivery.applicationId }, async () => {
      if (delivery.status === 'waiting_for_receipt') await this.checkReceipt.check(claim);
      else await this.sendDelivery.send(claim);
    }).catch((error: unknown) => {
      this.logger.error({ err: error, deliveryId: delivery.id }, 'delivery work failed; the lease will bring it back');
    });
  }
}
