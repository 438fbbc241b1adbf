import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { DeliveryStatus } from '@umg/contracts';
import { backoffDelay } from '@umg/messaging';
import type { DeliveryConfig } from '../config';
import { DELIVERY_CONFIG } from '../delivery-config.token';
import { DeliveryDocumentEntity } from '../delivery/delivery-document.entity';
import { DeliveryEvidenceEntity } from '../delivery/delivery-evidence.entity';
import { DeliveryHistory } from '../delivery/delivery-history';
import { DeliveryReasonCode, isFinalDeliveryStatus } from '../delivery/delivery-status';
import { DeliveryEntity, type ReasonRecord } from '../delivery/delivery.entity';

/** A delivery a worker holds: its work's outcome is recorded only while `token` still holds it. */
export interface ClaimedDelivery {
  delivery: DeliveryEntity;
  documents: DeliveryDocumentEntity[];
  token: string;
  /** NRO/NRD timestamp files read with the receipt, stored when the outcome is. */
  evidence?: DeliveryEvidenceEntity[];
}

/**
 * The durable outgoing queue: deliveries in PostgreSQL, due when `next_attempt_at` has passed.
 * Workers claim rows with `FOR UPDATE SKIP LOCKED` (several instances never take the same one) and
 * lease them for a while; a worker that dies leaves its deliveries to be claimed again when the
 * lease ends. Nothing is lost while e-delivery is down: the delivery waits in its row.
 */
@Injectable()
export class DeliveryQueue {
  constructor(
    private readonly dataSource: DataSource,
    private readonly history: DeliveryHistory,
    @Inject(DELIVERY_CONFIG) private readonly config: DeliveryConfig,
  ) {}

  async claimDue(limit: number): Promise<ClaimedDelivery[]> {
    return this.dataSource.transaction(async (manager) => {
      const due = (await manager.query(
        `SELECT id FROM delivery.delivery WHERE next_attempt_at <= now()
         ORDER BY next_attempt_at LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [limit],
      )) as { id: string }[];
      const claims: ClaimedDelivery[] = [];
      for (const { id } of due) {
        const delivery = await manager.findOneByOrFail(DeliveryEntity, { id });
        const token = randomUUID();
        delivery.claimToken = token;
        delivery.nextAttemptAt = new Date(Date.now() + this.config.DELIVERY_LEASE_MS);
        // A delivery found in `sending` is one whose worker died mid-send: with its intent recorded
        // it is looked up in e-delivery by our registration number before anything is sent again.
        const next: DeliveryStatus = delivery.status === 'waiting_for_receipt' ? 'waiting_for_receipt' : 'sending';
        await this.history.save(manager, delivery, next, next === 'sending' ? null : delivery.reason);
        const documents = await manager.find(DeliveryDocumentEntity, {
          where: { deliveryId: id },
          order: { position: 'ASC' },
        });
        claims.push({ delivery, documents, token });
      }
      return claims;
    });
  }

  /** Moves the delivery to `status` (with what the work changed on it and its documents), if still claimed. */
  async settle(
    claim: ClaimedDelivery,
    status: DeliveryStatus,
    reason: ReasonRecord | null,
    nextAttemptAt: Date | null,
  ): Promise<boolean> {
    return this.underClaim(claim, async (manager, current) => {
      const delivery = Object.assign(current, claim.delivery, {
        status: current.status,
        statusSequence: current.statusSequence,
        claimToken: null,
        nextAttemptAt: isFinalDeliveryStatus(status) ? null : nextAttemptAt,
      });
      if (claim.documents.length > 0) await manager.save(DeliveryDocumentEntity, claim.documents);
      if (claim.evidence?.length) await manager.save(DeliveryEvidenceEntity, claim.evidence);
      await this.history.save(manager, delivery, status, reason);
    });
  }

  /**
   * Commits that a send is about to be made (`sendIntentAt`, the documents' details) without
   * changing the status; false when the claim was lost, and then nothing may be sent.
   */
  async recordIntent(claim: ClaimedDelivery): Promise<boolean> {
    return this.underClaim(claim, async (manager, current) => {
      current.sendIntentAt = claim.delivery.sendIntentAt;
      current.recipientProfileId = claim.delivery.recipientProfileId;
      current.updatedAt = new Date();
      await manager.save(DeliveryEntity, current);
      if (claim.documents.length > 0) await manager.save(DeliveryDocumentEntity, claim.documents);
    });
  }

  /** A call failed for a reason that may pass: wait with backoff and jitter, or give up after the last attempt. */
  async retryLater(claim: ClaimedDelivery, reason: ReasonRecord, countsAsAttempt: boolean): Promise<boolean> {
    const attempts = claim.delivery.attempts + (countsAsAttempt ? 1 : 0);
    claim.delivery.attempts = attempts;
    if (attempts >= this.config.DELIVERY_MAX_ATTEMPTS) {
      return this.settle(
        claim,
        'send_failure',
        {
          code: DeliveryReasonCode.tooManyAttempts,
          message: `Gave up after ${attempts} failed attempts; the last: ${reason.message}`,
        },
        null,
      );
    }
    const status = claim.delivery.status === 'waiting_for_receipt' ? 'waiting_for_receipt' : 'waiting_for_retry';
    return this.settle(claim, status, reason, new Date(Date.now() + this.retryDelay(Math.max(1, attempts))));
  }

  private retryDelay(attempt: number): number {
    const { DELIVERY_RETRY_BASE_MS: base, DELIVERY_RETRY_MAX_MS: max } = this.config;
    return Math.min(max, base + backoffDelay(attempt, base, max));
  }

  private async underClaim(
    claim: ClaimedDelivery,
    apply: (manager: EntityManager, current: DeliveryEntity) => Promise<void>,
  ): Promise<boolean> {
    return this.dataSource.transaction(async (manager) => {
      const current = await manager.findOne(DeliveryEntity, {
        where: { id: claim.delivery.id, claimToken: claim.token },
        lock: { mode: 'pessimistic_write' },
      });
      // The lease ran out and another worker took the delivery over: its outcome counts, not ours.
      if (!current) return false;
      await apply(manager, current);
      return true;
    });
  }
}
