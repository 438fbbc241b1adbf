import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

/** A call to the payment system that must happen: create a request, or suspend it. */
export type OutboundCallKind = 'create' | 'suspend';

/**
 * The durable queue of calls to the payment system (`payments.outbound_call`). A call is queued
 * in the same transaction as the decision to make it, so it survives crashes and outages; the
 * outbound worker makes it, retrying with backoff until the payment system answers.
 */
@Injectable()
export class OutboundCalls {
  async enqueue(manager: EntityManager, paymentRequestId: string, kind: OutboundCallKind): Promise<void> {
    await manager.query(
      `INSERT INTO payments.outbound_call (payment_request_id, kind) VALUES ($1, $2)
       ON CONFLICT (payment_request_id, kind) DO NOTHING`,
      [paymentRequestId, kind],
    );
  }
}
