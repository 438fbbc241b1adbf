import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager, In } from 'typeorm';
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
  /** Each document as last read or written: one that has not changed since is not written again. */
  stored: Map<string, string>;
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

  /**
   * Claims up to `limit` due deliveries in one statement: each is leased to this worker, and one
   * that is to be sent moves to `sending` (a delivery found in `sending` is one whose worker died
   * mid-send: with its intent recorded it is looked up in e-delivery by our registration number
   * before anything is sent again). Only status changes and documents cost more statements; a
   * receipt check claims for nothing more. Results and refusals come first: they count as due 60 s
   * earlier than they are (`delivery.claim_rank`, migration 1770650000000), so notices wait, but
   * never for results that fell due more than 60 s after them.
   */
  async claimDue(limit: number): Promise<ClaimedDelivery[]> {
    const token = randomUUID();
    const claim = async (
      manager: EntityManager,
    ): Promise<{ row: Record<string, unknown>; previous: DeliveryStatus }[]> => {
      const [rows] = (await manager.query(
        `WITH due AS (
           SELECT id, status FROM delivery.delivery WHERE next_attempt_at <= now()
            ORDER BY delivery.claim_rank(next_attempt_at, notice_kind) LIMIT $1 FOR UPDATE SKIP LOCKED)
         UPDATE delivery.delivery d
            SET claim_token = $2, next_attempt_at = now() + make_interval(secs => $3),
                status = CASE WHEN due.status = 'waiting_for_receipt' THEN due.status ELSE 'sending' END,
                status_sequence = d.status_sequence + CASE WHEN due.status IN ('waiting_for_receipt', 'sending') THEN 0 ELSE 1 END,
                reason = CASE WHEN due.status = 'waiting_for_receipt' THEN d.reason END,
                updated_at = now()
           FROM due WHERE d.id = due.id
         RETURNING d.*, due.status AS previous_status`,
        [limit, token, this.config.DELIVERY_LEASE_MS / 1000],
      )) as [(Record<string, unknown> & { previous_status: DeliveryStatus })[], number];
      return rows.map(({ previous_status, ...row }) => ({ row, previous: previous_status }));
    };
    return this.dataSource.transaction(async (manager) => {
      const claimed = (await claim(manager)).map(({ row, previous }) => ({
        delivery: this.entityOf(row),
        previous,
      }));
      for (const { delivery, previous } of claimed) {
        if (delivery.status !== previous) await this.history.record(manager, delivery, previous);
      }
      const sending = claimed
        .filter(({ delivery }) => delivery.status === 'sending')
        .map(({ delivery }) => delivery.id);
      const documents =
        sending.length === 0
          ? []
          : await manager.find(DeliveryDocumentEntity, {
              where: { deliveryId: In(sending) },
              order: { deliveryId: 'ASC', position: 'ASC' },
            });
      return claimed.map(({ delivery }) => {
        const own = documents.filter((document) => document.deliveryId === delivery.id);
        return { delivery, documents: own, token, stored: new Map(own.map((document) => snapshot(document))) };
      });
    });
  }

  /**
   * A receipt check that found nothing new: the next check is scheduled and the claim released, in
   * one statement (no transaction, no history: the status stays `waiting_for_receipt`).
   */
  async checkAgainAt(claim: ClaimedDelivery, nextAttemptAt: Date): Promise<boolean> {
    const { delivery } = claim;
    const [, affected] = (await this.dataSource.query(
      `UPDATE delivery.delivery
          SET claim_token = NULL, next_attempt_at = $3, nro_at = coalesce($4, nro_at), attempts = $5, reason = NULL,
              updated_at = now()
        WHERE id = $1 AND claim_token = $2`,
      [delivery.id, claim.token, nextAttemptAt, delivery.nroAt, delivery.attempts],
    )) as [unknown[], number];
    return affected > 0;
  }

  /** A delivery row as TypeORM would have read it (the columns' names mapped to the entity's). */
  private entityOf(row: Record<string, unknown>): DeliveryEntity {
    const delivery = new DeliveryEntity();
    for (const column of this.dataSource.getMetadata(DeliveryEntity).columns) {
      (delivery as unknown as Record<string, unknown>)[column.propertyName] = row[column.databaseName];
    }
    return delivery;
  }

  /**
   * Moves the delivery to `status` (with what the work changed on it and its documents), if still
   * claimed: the row's UPDATE is conditional on the claim, so no lock is read first (while claimed,
   * only its worker changes the row, and the claim returned its status).
   */
  async settle(
    claim: ClaimedDelivery,
    status: DeliveryStatus,
    reason: ReasonRecord | null,
    nextAttemptAt: Date | null,
  ): Promise<boolean> {
    const delivery = Object.assign(claim.delivery, {
      claimToken: null,
      nextAttemptAt: isFinalDeliveryStatus(status) ? null : nextAttemptAt,
    });
    const written = await this.dataSource.transaction(async (manager) => {
      // The lease ran out and another worker took the delivery over: its outcome counts, not ours.
      if (!(await this.history.save(manager, delivery, status, reason, claim.token))) return null;
      // One statement for the NRO and NRD files (a save would read each first).
      if (claim.evidence?.length) await manager.upsert(DeliveryEvidenceEntity, claim.evidence, ['deliveryId', 'kind']);
      return this.writeDocuments(manager, claim);
    });
    if (!written) return false;
    for (const [documentId, stored] of written) claim.stored.set(documentId, stored);
    return true;
  }

  /**
   * Commits that a send is about to be made (`sendIntentAt`, the documents' details) without
   * changing the status; false when the claim was lost, and then nothing may be sent.
   */
  async recordIntent(claim: ClaimedDelivery): Promise<boolean> {
    const intent = async (manager: EntityManager) => {
      const [, affected] = (await manager.query(
        `UPDATE delivery.delivery SET send_intent_at = $3, recipient_profile_id = $4, updated_at = now()
          WHERE id = $1 AND claim_token = $2`,
        [claim.delivery.id, claim.token, claim.delivery.sendIntentAt, claim.delivery.recipientProfileId],
      )) as [unknown[], number];
      // The lease ran out and another worker took the delivery over: nothing may be sent.
      if (affected === 0) return null;
      return this.writeDocuments(manager, claim);
    };
    // Without documents (a notice) the intent is one statement, no transaction.
    const written =
      claim.documents.length === 0 ? await intent(this.dataSource.manager) : await this.dataSource.transaction(intent);
    if (!written) return false;
    for (const [documentId, stored] of written) claim.stored.set(documentId, stored);
    return true;
  }

  /**
   * What the work learnt of the documents (details, a malware verdict): one UPDATE for each that
   * changed since it was read or last written. Answers what was written, to be remembered once the
   * transaction commits.
   */
  private async writeDocuments(manager: EntityManager, claim: ClaimedDelivery): Promise<Map<string, string>> {
    const written = new Map<string, string>();
    for (const document of claim.documents) {
      const [documentId, stored] = snapshot(document);
      if (claim.stored.get(documentId) === stored) continue;
      const { deliveryId, documentId: _id, ...fields } = document;
      await manager.update(DeliveryDocumentEntity, { deliveryId, documentId }, fields);
      written.set(documentId, stored);
    }
    return written;
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
}

/** A document's id and its fields as they stand, to tell whether it changed. */
function snapshot(document: DeliveryDocumentEntity): [string, string] {
  return [document.documentId, JSON.stringify(document)];
}
