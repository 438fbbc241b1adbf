import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import type { Logger } from '@umg/logging';
import type { PaymentsConfig } from '../config';
import { InjectLogger } from '../inject-logger';
import { PAYMENTS_CONFIG } from '../payments-config.token';
import { ReconcilePaymentsService } from './reconcile-payments.service';

/** Runs reconciliation periodically on every instance; the advisory lock lets one of them at a time do it. */
@Injectable()
export class ReconciliationJob implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private timer: NodeJS.Timeout | undefined;
  private current: Promise<unknown> | undefined;

  constructor(
    private readonly reconcile: ReconcilePaymentsService,
    @Inject(PAYMENTS_CONFIG) private readonly config: PaymentsConfig,
    @InjectLogger() private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      if (this.current) return;
      this.current = this.reconcile
        .run()
        .catch((error: unknown) => this.logger.warn({ err: error }, 'reconciliation run failed'))
        .finally(() => {
          this.current = undefined;
        });
    }, this.config.PAYMENTS_RECONCILIATION_INTERVAL_MS);
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.current;
  }
}
