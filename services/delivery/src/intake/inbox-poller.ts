import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import type { Logger } from '@umg/logging';
import { PeriodicWorker } from '@umg/messaging';
import { SERVICE_LOGGER } from '@umg/platform';
import type { DeliveryConfig } from '../config';
import { DELIVERY_CONFIG } from '../delivery-config.token';
import { DistrictIdentities } from '../e-delivery/district-identities';
import { OpenReceivedMessageService } from './open-received-message.service';

/** At most this many intervals between rounds while the inboxes stay empty. */
const maxSlowdown = 4;

/**
 * Reads the e-delivery inbox of each district in pilot or live with an e-delivery identity in the
 * register, every poll interval. Polling, not ССЕВ's optional `Received` push notification: the
 * push is unsigned and only a hint, and a poll needs no endpoint open to e-delivery. Runs in every
 * instance; the rows keep them from opening a message twice.
 */
@Injectable()
export class InboxPoller implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly loop: PeriodicWorker;
  private readonly intervalMs: number;
  /** Rounds in a row that found nothing: the next waits longer, up to `maxSlowdown` intervals. */
  private emptyRounds = 0;

  constructor(
    private readonly intake: OpenReceivedMessageService,
    private readonly identities: DistrictIdentities,
    @Inject(DELIVERY_CONFIG) config: DeliveryConfig,
    @Inject(SERVICE_LOGGER) private readonly logger: Logger,
  ) {
    this.intervalMs = config.E_DELIVERY_INBOX_POLL_MS;
    this.loop = new PeriodicWorker(
      { name: 'e-delivery inbox poller', intervalMs: config.E_DELIVERY_INBOX_POLL_MS, firstRoundAfterMs: 0 },
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

  /**
   * One pass over every intake district's inbox. Answers how long to wait: an interval after a
   * round that took messages, longer after empty ones (doubling, up to `maxSlowdown` intervals),
   * so quiet inboxes are not asked (one SOAP call and its exchange-log record each) every interval.
   */
  private async round(): Promise<number> {
    const taken = await this.takeFromEveryInbox();
    this.emptyRounds = taken > 0 ? 0 : this.emptyRounds + 1;
    return this.intervalMs * Math.min(maxSlowdown, 2 ** Math.max(0, this.emptyRounds - 1));
  }

  private async takeFromEveryInbox(): Promise<number> {
    let taken = 0;
    let districts: string[] = [];
    try {
      districts = await this.identities.intakeDistricts();
    } catch (error) {
      this.logger.warn({ err: error }, 'could not read the districts register; trying again');
    }
    for (const districtCode of districts) {
      if (!this.loop.isRunning) break;
      try {
        taken += await this.intake.takeNew(districtCode);
      } catch (error) {
        // e-delivery or the database is away: this district is tried again next round.
        this.logger.warn({ err: error, districtCode }, 'could not read the district’s e-delivery inbox');
      }
    }
    return taken;
  }
}
