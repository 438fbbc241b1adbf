import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import type { Logger } from '@umg/logging';
import { PeriodicWorker } from '@umg/messaging';
import type { PaymentsConfig } from '../config';
import { InjectLogger } from '../inject-logger';
import { PAYMENTS_CONFIG } from '../payments-config.token';
import { ReconcilePaymentsService } from './reconcile-payments.service';

/** Runs reconciliation periodically on every instance; the advisory lock lets one of them at a time do it. */
@Injectable()
export class ReconciliationJob implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly worker: PeriodicWorker;

  constructor(
    reconcile: ReconcilePaymentsService,
    @Inject(PAYMENTS_CONFIG) config: PaymentsConfig,
    @InjectLogger() logger: Logger,
  ) {
    this.worker = new PeriodicWorker(
      { name: 'reconciliation run', intervalMs: config.PAYMENTS_RECONCILIATION_INTERVAL_MS, failureLevel: 'warn' },
      logger,
      async () => void (await reconcile.run()),
    );
  }

  onApplicationBootstrap(): void {
    this.worker.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.worker.stop();
  }
}
