import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { ApplicationEvent, DeliveryNoticeKind, PaymentStatusChanged } from '@umg/contracts';
import { DeliveryDocumentEntity } from '../delivery/delivery-document.entity';
import { DeliveryHistory } from '../delivery/delivery-history';
import { DeliveryReasonCode } from '../delivery/delivery-status';
import { DeliveryEntity } from '../delivery/delivery.entity';
import { noticeFor } from './notice-kind';

/**
 * Turns an application event into a delivery to make, queued for the worker. The notice is named
 * by (application, kind, event sequence): an event redelivered or republished finds its delivery
 * already there and adds nothing, so no notice is ever sent twice.
 */
@Injectable()
export class PlanNoticeService {
  constructor(private readonly history: DeliveryHistory) {}

  async plan(manager: EntityManager, event: ApplicationEvent): Promise<DeliveryEntity | undefined> {
    const noticeKind = noticeFor(event.status);
    if (!noticeKind) return undefined;
    if (await this.alreadyPlanned(manager, event, noticeKind)) return undefined;

    const now = new Date();
    const deskOnly = event.deliveryChannel === 'desk' && (noticeKind === 'result' || noticeKind === 'refusal');
    const delivery = Object.assign(new DeliveryEntity(), {
      id: randomUUID(),
      applicationId: event.applicationId,
      districtCode: event.districtCode,
      noticeKind,
      eventSequence: event.sequence,
      serviceReferenceNumber: event.serviceReferenceNumber,
      serviceNumber: event.serviceNumber,
      registrationNumber: event.registrationNumber,
      applicant: event.applicant,
      eDeliveryProfileId: event.eDeliveryProfileId,
      reasons: event.reasons ?? null,
      payment: null,
      // The applicant chose the desk: the document waits there, nothing goes to e-delivery.
      status: deskOnly ? 'desk_collection' : 'ready_to_send',
      reason: deskOnly
        ? { code: DeliveryReasonCode.deskChannel, message: 'The applicant chose to collect the result at the desk.' }
        : null,
      recipientProfileId: null,
      eDeliveryMessageId: null,
      attempts: 0,
      nextAttemptAt: deskOnly ? null : now,
      claimToken: null,
      nroAt: null,
      nrdAt: null,
      receivedAt: null,
      openedAt: null,
      receiptDeadlineAt: null,
      sendIntentAt: null,
      replyToMessageId: await this.applicationMessageOf(manager, event),
      createdAt: now,
      updatedAt: now,
    } satisfies Omit<DeliveryEntity, 'statusSequence'>);
    await this.history.open(manager, delivery);
    const documentIds = [...new Set(event.documentIds ?? [])];
    if (documentIds.length > 0) {
      await manager.insert(
        DeliveryDocumentEntity,
        documentIds.map((documentId, position) => ({ deliveryId: delivery.id, documentId, position })),
      );
    }
    return delivery;
  }

  /**
   * A payment request the payment system accepted: the applicant is told the fee and the access
   * code to pay it at pay.egov.bg. Named by the timeline entry that asked for payment, so each
   * request gets one notice however often its status is reported. The applicant's details come
   * from the application's earlier notice (registration always comes first).
   */
  async planPaymentNotice(manager: EntityManager, change: PaymentStatusChanged): Promise<DeliveryEntity | undefined> {
    if (change.status !== 'pending' || change.previousStatus !== null || change.applicationSequence === undefined) {
      return undefined;
    }
    const earlier = await manager.findOne(DeliveryEntity, {
      where: { applicationId: change.applicationId },
      order: { createdAt: 'ASC' },
    });
    if (!earlier) return undefined;
    const { statusSequence: _sequence, ...applicantSide } = earlier;
    const key = {
      applicationId: change.applicationId,
      noticeKind: 'payment_notice' as const,
      sequence: change.applicationSequence,
    };
    await manager.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [
      `${key.applicationId}/${key.noticeKind}/${key.sequence}`,
    ]);
    if (
      await manager.exists(DeliveryEntity, {
        where: { applicationId: key.applicationId, noticeKind: key.noticeKind, eventSequence: key.sequence },
      })
    ) {
      return undefined;
    }
    const now = new Date();
    const delivery = Object.assign(new DeliveryEntity(), {
      ...applicantSide,
      id: randomUUID(),
      noticeKind: key.noticeKind,
      eventSequence: key.sequence,
      reasons: null,
      payment: {
        amountMinor: change.amountMinor,
        currency: change.currency,
        paymentSystemId: change.paymentSystemId,
        accessCode: change.accessCode ?? null,
        expiresAt: change.expiresAt ?? null,
      },
      status: 'ready_to_send',
      reason: null,
      recipientProfileId: null,
      eDeliveryMessageId: null,
      attempts: 0,
      nextAttemptAt: now,
      claimToken: null,
      nroAt: null,
      nrdAt: null,
      receivedAt: null,
      openedAt: null,
      receiptDeadlineAt: null,
      sendIntentAt: null,
      createdAt: now,
      updatedAt: now,
    } satisfies Omit<DeliveryEntity, 'statusSequence'>);
    await this.history.open(manager, delivery);
    return delivery;
  }

  /** The e-delivery message the application came in, when it came from the district's inbox. */
  private async applicationMessageOf(manager: EntityManager, event: ApplicationEvent): Promise<number | null> {
    const rows = (await manager.query(
      `SELECT message_id FROM delivery.received_message
        WHERE portal_application_id = $1 AND district_code = $2 AND state = 'submitted'
        ORDER BY message_id DESC LIMIT 1`,
      [event.portalApplicationId, event.districtCode],
    )) as { message_id: number }[];
    return rows[0]?.message_id ?? null;
  }

  private async alreadyPlanned(
    manager: EntityManager,
    event: ApplicationEvent,
    noticeKind: DeliveryNoticeKind,
  ): Promise<boolean> {
    // Serialises two copies of one event handled at once (different message ids, same notice):
    // the second waits here, then sees the first's delivery.
    await manager.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [
      `${event.applicationId}/${noticeKind}/${event.sequence}`,
    ]);
    return manager.exists(DeliveryEntity, {
      where: { applicationId: event.applicationId, noticeKind, eventSequence: event.sequence },
    });
  }
}
