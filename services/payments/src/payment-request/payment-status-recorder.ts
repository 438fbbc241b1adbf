import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { cloudEventTypes, type PaymentStatus, type PaymentStatusChanged } from '@umg/contracts';
import type { Logger } from '@umg/logging';
import { Outbox, Topics } from '@umg/messaging';
import { InjectLogger } from '../inject-logger';
import { decideStatusChange, type StatusChangeDecision } from './decide-status-change';
import { PaymentRequestEntity } from './payment-request.entity';

export type ReportSource =
  'receipt' | 'notification' | 'unverified_notification' | 'confirmation' | 'reconciliation' | 'suspension' | 'desk';

export interface ReportedPaymentStatus {
  status: PaymentStatus;
  changeTime: Date;
}

/**
 * Records every status the payment system reports about a request, and applies the ones that
 * change it: the new status and the PaymentStatusChanged event commit together. Call it with the
 * request locked (`PaymentRequests.lock`), inside the caller's transaction.
 */
@Injectable()
export class PaymentStatusRecorder {
  constructor(
    private readonly outbox: Outbox,
    @InjectLogger() private readonly logger: Logger,
  ) {}

  /** Keeps what an unverified notification claimed, applied to nothing: a confirmation decides. */
  async noteHint(
    manager: EntityManager,
    request: PaymentRequestEntity,
    claimed: { status: string; changeTime: Date | null },
  ): Promise<void> {
    await manager.query(
      `INSERT INTO payments.payment_status_report
         (payment_request_id, source, reported_status, change_time, recorded_status, applied)
       VALUES ($1, 'unverified_notification', $2, $3, $4, false)`,
      [request.id, claimed.status.slice(0, 50), claimed.changeTime, request.status],
    );
  }

  async record(
    manager: EntityManager,
    request: PaymentRequestEntity,
    reported: ReportedPaymentStatus,
    source: ReportSource,
  ): Promise<StatusChangeDecision> {
    const decision = decideStatusChange(request, reported);
    if (decision !== 'apply') {
      await manager.query(
        `INSERT INTO payments.payment_status_report
           (payment_request_id, source, reported_status, change_time, recorded_status, applied)
         VALUES ($1, $2, $3, $4, $5, false)`,
        [request.id, source, reported.status, reported.changeTime, request.status],
      );
      this.logger.info(
        { paymentRequestId: request.id, source, reported: reported.status, current: request.status, decision },
        'payment status report changes nothing',
      );
      return decision;
    }
    const previous = request.status;
    request.status = reported.status;
    request.statusChangedAt = reported.changeTime;
    request.sequence += 1;
    request.updatedAt = new Date();
    // The report and the change in one statement (a hot path: every status of every payment).
    await manager.query(
      `WITH report AS (
         INSERT INTO payments.payment_status_report
           (payment_request_id, source, reported_status, change_time, recorded_status, applied)
         VALUES ($1, $2, $3, $4, $5, true))
       UPDATE payments.payment_request
          SET status = $3, status_changed_at = $4, sequence = $6, updated_at = $7, problem = NULL,
              payment_system_id = coalesce($8, payment_system_id), access_code = coalesce($9, access_code)
        WHERE id = $1`,
      [
        request.id,
        source,
        reported.status,
        reported.changeTime,
        previous,
        request.sequence,
        request.updatedAt,
        request.paymentSystemId ?? null,
        request.accessCode ?? null,
      ],
    );
    const event: PaymentStatusChanged = {
      applicationId: request.applicationId,
      paymentRequestId: request.id,
      aisPaymentId: request.aisPaymentId,
      paymentSystemId: request.paymentSystemId!,
      districtCode: request.districtCode,
      status: reported.status,
      previousStatus: previous === 'sending' || previous === 'rejected' || previous === 'send_failed' ? null : previous,
      amountMinor: request.amountMinor,
      currency: request.currency,
      changedAt: reported.changeTime.toISOString(),
      sequence: request.sequence,
      ...(request.accessCode ? { accessCode: request.accessCode } : {}),
      applicationSequence: request.applicationSequence,
      expiresAt: request.expiresAt.toISOString(),
    };
    await this.outbox.enqueue(manager, {
      topic: Topics.paymentEvents,
      key: request.applicationId,
      type: cloudEventTypes.PaymentStatusChanged,
      payload: event,
      // Consumers skip the statuses they ignore from this header, before any database work.
      extensions: { umgstatus: event.status },
    });
    this.logger.info(
      {
        paymentRequestId: request.id,
        applicationId: request.applicationId,
        source,
        from: previous,
        to: reported.status,
      },
      'payment status changed',
    );
    return decision;
  }
}
