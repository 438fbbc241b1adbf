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
 * Asks e-delivery (GetSentMessageStatus) for a sent message, less and less often (see
 * `nextReceiptCheck`), until the recipient has opened it —
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
      // Nothing new: one UPDATE; the NRO file is kept with the final outcome.
      await this.queue.checkAgainAt(claim, nextReceiptCheck(delivery.nroAt, deadline, this.config));
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

/**
 * When to ask again for a message's receipt: waits grow with the time since it was sent (half of
 * it, from DELIVERY_RECEIPT_POLL_MS up to DELIVERY_RECEIPT_POLL_MAX_MS), so a message opened at
 * once is seen soon and one left unread for days is asked about a few times an hour, not every
 * interval; never after the receipt deadline.
 */
export function nextReceiptCheck(
  sentAt: Date | null,
  deadline: Date,
  config: Pick<DeliveryConfig, 'DELIVERY_RECEIPT_POLL_MS' | 'DELIVERY_RECEIPT_POLL_MAX_MS'>,
  now = Date.now(),
): Date {
  const sinceSent = sentAt ? now - sentAt.getTime() : 0;
  const wait = Math.min(config.DELIVERY_RECEIPT_POLL_MAX_MS, Math.max(config.DELIVERY_RECEIPT_POLL_MS, sinceSent / 2));
  return new Date(Math.min(now + wait, deadline.getTime()));
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
