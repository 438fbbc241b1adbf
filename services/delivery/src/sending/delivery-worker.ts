import { Inject, Injectable, type OnApplicationBootstrap, type BeforeApplicationShutdown } from '@nestjs/common';
import type { Logger } from '@umg/logging';
import { runWithCorrelation } from '@umg/logging';
import { PeriodicWorker } from '@umg/messaging';
import { SERVICE_LOGGER } from '@umg/platform';
import type { DeliveryConfig } from '../config';
import { DELIVERY_CONFIG } from '../delivery-config.token';
import { CheckReceiptService } from './check-receipt.service';
import { type ClaimedDelivery, DeliveryQueue } from './delivery-queue';
import { SendDeliveryService } from './send-delivery.service';

/**
 * Works the delivery queue: every poll interval it claims the deliveries that are due and sends
 * them, or checks their receipts. Runs in every instance; the queue keeps them apart.
 */
@Injectable()
export class DeliveryWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly loop: PeriodicWorker;

  constructor(
    private readonly queue: DeliveryQueue,
    private readonly sendDelivery: SendDeliveryService,
    private readonly checkReceipt: CheckReceiptService,
    @Inject(DELIVERY_CONFIG) private readonly config: DeliveryConfig,
    @Inject(SERVICE_LOGGER) private readonly logger: Logger,
  ) {
    this.loop = new PeriodicWorker(
      { name: 'delivery worker', intervalMs: config.DELIVERY_POLL_INTERVAL_MS, firstRoundAfterMs: 0 },
      logger,
      () => this.round(),
    );
  }

  onApplicationBootstrap(): void {
    this.loop.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.loop.stop();
  }

  private async round(): Promise<number | void> {
    let claimed = 0;
    try {
      const claims = await this.queue.claimDue(this.config.DELIVERY_BATCH_SIZE);
      claimed = claims.length;
      await Promise.all(claims.map((claim) => this.work(claim)));
    } catch (error) {
      // The database is away: the claimed rows' leases run out and they are taken again.
      this.logger.warn({ err: error }, 'delivery worker could not claim work; trying again');
    }
    // A full batch suggests more is due: go on at once.
    if (claimed >= this.config.DELIVERY_BATCH_SIZE) return 0;
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
