import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from '@umg/logging';
import { SERVICE_LOGGER } from '@umg/platform';
import type { DeliveryConfig } from '../config';
import { DELIVERY_CONFIG } from '../delivery-config.token';
import { DeliveryReasonCode } from '../delivery/delivery-status';
import { EDeliveryCallError } from '../e-delivery/e-delivery-call.error';
import { EDeliveryClient } from '../e-delivery/e-delivery.client';
import { type ClaimedDelivery, DeliveryQueue } from './delivery-queue';

/**
 * Asks e-delivery for a sent message's status until the recipient has received it (delivered,
 * with the NRD timestamp) or the receipt time is up (receipt_timeout). Polling rather than a
 * callback: it needs no endpoint open to e-delivery, and a receipt that arrives while we are down
 * is simply read on the next poll.
 */
@Injectable()
export class CheckReceiptService {
  constructor(
    private readonly queue: DeliveryQueue,
    private readonly eDelivery: EDeliveryClient,
    @Inject(DELIVERY_CONFIG) private readonly config: DeliveryConfig,
    @Inject(SERVICE_LOGGER) private readonly logger: Logger,
  ) {}

  async check(claim: ClaimedDelivery): Promise<void> {
    const { delivery } = claim;
    const deadline = delivery.receiptDeadlineAt ?? new Date();
    try {
      const status = await this.eDelivery.messageStatus(delivery.eDeliveryMessageId!);
      const recipient =
        status.recipients.find((candidate) => candidate.profileId === delivery.recipientProfileId) ??
        status.recipients[0];
      if (recipient?.dateReceived) {
        delivery.receivedAt = new Date(recipient.dateReceived);
        delivery.openedAt = recipient.dateOpened ? new Date(recipient.dateOpened) : null;
        delivery.nrdAt = new Date(recipient.nrdTimestamp ?? recipient.dateReceived);
        await this.queue.settle(claim, 'delivered', null, null);
        return;
      }
      if (Date.now() >= deadline.getTime()) {
        await this.timedOut(claim, deadline);
        return;
      }
      const nextPoll = Math.min(Date.now() + this.config.DELIVERY_RECEIPT_POLL_MS, deadline.getTime());
      await this.queue.settle(claim, 'waiting_for_receipt', null, new Date(nextPoll));
    } catch (error) {
      if (!(error instanceof EDeliveryCallError)) {
        this.logger.error({ err: error, deliveryId: delivery.id }, 'receipt check failed unexpectedly');
        return;
      }
      // Without an answer we cannot know the recipient did not receive it: keep asking, unless
      // e-delivery says it does not know the message at all and the time is up.
      if (!error.transient && Date.now() >= deadline.getTime()) {
        await this.timedOut(claim, deadline);
        return;
      }
      await this.queue.retryLater(
        claim,
        { code: DeliveryReasonCode.eDeliveryUnavailable, message: error.message },
        false,
      );
    }
  }

  private async timedOut(claim: ClaimedDelivery, deadline: Date): Promise<void> {
    await this.queue.settle(
      claim,
      'receipt_timeout',
      {
        code: DeliveryReasonCode.receiptTimeout,
        message: `The applicant did not receive the message by ${deadline.toISOString()}.`,
      },
      null,
    );
  }
}
