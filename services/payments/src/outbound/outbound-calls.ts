import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { PAYMENTS_CONFIG } from '../payments-config.token';
import type { PaymentsConfig } from '../config';

/**
 * A call to the payment system that must happen: create a request, fetch its access code,
 * suspend it, mark it paid at the desk, or confirm a status an unsigned notification claimed.
 */
export type OutboundCallKind = 'create' | 'access_code' | 'suspend' | 'set_paid' | 'confirm';

/**
 * The durable queue of calls to the payment system (`payments.outbound_call`). A call is queued
 * in the same transaction as the decision to make it, so it survives crashes and outages; the
 * outbound worker makes it, retrying with backoff a bounded number of times.
 */
@Injectable()
export class OutboundCalls {
  constructor(@Inject(PAYMENTS_CONFIG) private readonly config: PaymentsConfig) {}

  async enqueue(
    manager: EntityManager,
    paymentRequestId: string,
    kind: Exclude<OutboundCallKind, 'confirm'>,
    payload: Record<string, unknown> | null = null,
  ): Promise<boolean> {
    const rows = (await manager.query(
      `INSERT INTO payments.outbound_call (payment_request_id, kind, payload) VALUES ($1, $2, $3)
       ON CONFLICT (payment_request_id, kind) DO NOTHING RETURNING id`,
      [paymentRequestId, kind, payload === null ? null : JSON.stringify(payload)],
    )) as unknown[];
    return rows.length > 0;
  }

  /**
   * Asks for a status query about the request. One confirmation per request is pending at a
   * time, and a new one starts no sooner than the minimum interval after the last: however many
   * hints arrive (or are forged), the payment system sees a bounded number of queries.
   */
  async requestConfirmation(manager: EntityManager, paymentRequestId: string): Promise<void> {
    await manager.query(
      `INSERT INTO payments.outbound_call (payment_request_id, kind) VALUES ($1, 'confirm')
       ON CONFLICT (payment_request_id, kind) DO NOTHING`,
      [paymentRequestId],
    );
    // Reopen a finished one; one being made right now (locked by the worker) already answers the
    // hint, so a flood of hints never queues behind it.
    await manager.query(
      `UPDATE payments.outbound_call
          SET done_at = NULL, attempts = 0, gave_up = false, last_error = NULL,
              next_attempt_at = greatest(now(), done_at + make_interval(secs => $2))
        WHERE id = (SELECT id FROM payments.outbound_call
                     WHERE payment_request_id = $1 AND kind = 'confirm' AND done_at IS NOT NULL
                     FOR UPDATE SKIP LOCKED)`,
      [paymentRequestId, this.config.PAYMENTS_CONFIRMATION_MIN_INTERVAL_MS / 1000],
    );
  }

  /** An operator's retry of calls given up after their attempts: due again, attempts from zero. */
  async retryGivenUp(manager: EntityManager, paymentRequestId: string): Promise<number> {
    // TypeORM answers an UPDATE with [rows, affected].
    const [, affected] = (await manager.query(
      `UPDATE payments.outbound_call SET done_at = NULL, gave_up = false, attempts = 0, next_attempt_at = now()
        WHERE payment_request_id = $1 AND gave_up`,
      [paymentRequestId],
    )) as [unknown[], number];
    return affected;
  }
}
