import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from '@umg/logging';
import { SERVICE_LOGGER } from '@umg/platform';
import type { DeliveryConfig } from '../config';
import { DELIVERY_CONFIG } from '../delivery-config.token';
import { DeliveryEvidenceEntity, type EvidenceKind } from '../delivery/delivery-evidence.entity';
import { DeliveryReasonCode } from '../delivery/delivery-status';
import { EDeliveryCallError } from '../e-delivery/e-delivery-call.error';
import type { TimeStampFile } from '../e-delivery/e-delivery-wire';
import { EDeliveryClient } from '../e-delivery/e-delivery.client';
import { type ClaimedDelivery, DeliveryQueue } from './delivery-queue';

/**
 * Asks e-delivery (GetSentMessageStatus) for a sent message until the recipient has opened it —
 * `DateReceived` set, the NRD timestamp issued — or the receipt time is up (receipt_timeout). The
 * NRO and NRD `.tsr` files are kept with the delivery as evidence. Polling rather than ССЕВ's push
 * notification: it needs no endpoint open to e-delivery, and a receipt that arrives while we are
 * down is simply read on the next poll.
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
      const status = await this.eDelivery.sentMessageStatus(delivery.districtCode, Number(delivery.eDeliveryMessageId));
      if (status.dateSent) delivery.nroAt = status.dateSent;
      claim.evidence = [evidence(delivery.id, 'nro', status.nro), evidence(delivery.id, 'nrd', status.nrd)].filter(
        (entry): entry is DeliveryEvidenceEntity => entry !== null,
      );
      if (status.dateReceived) {
        delivery.receivedAt = status.dateReceived;
        delivery.openedAt = status.dateReceived;
        delivery.nrdAt = status.dateReceived;
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

function evidence(deliveryId: string, kind: EvidenceKind, file: TimeStampFile | null): DeliveryEvidenceEntity | null {
  if (!file) return null;
  return Object.assign(new DeliveryEvidenceEntity(), {
    deliveryId,
    kind,
    fileName: file.fileName,
    content: file.data,
    sha256: createHash('sha256').update(file.data).digest('hex'),
    recordedAt: new Date(),
  });
}
