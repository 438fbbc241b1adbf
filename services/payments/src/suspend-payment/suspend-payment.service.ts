import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Logger } from '@umg/logging';
import { InjectLogger } from '../inject-logger';
import type { OutboundCallOutcome } from '../outbound/outbound-call-outcome';
import { OutboundCalls } from '../outbound/outbound-calls';
import { PaymentRequestEntity } from '../payment-request/payment-request.entity';
import { PaymentStatusRecorder } from '../payment-request/payment-status-recorder';
import { suspendablePaymentStatuses } from '../payment-request/payment-request-status';
import {
  type PaymentSystemCredentials,
  PaymentSystemClient,
  PaymentSystemRefusalError,
} from '../payment-system/payment-system.client';

/**
 * A withdrawn or refused application no longer owes its fee: suspend its pending request. The
 * payment system allows that only from Pending or Canceled; a request the applicant has already
 * paid or started paying stays as it is.
 */
@Injectable()
export class SuspendPaymentService {
  constructor(
    private readonly outbound: OutboundCalls,
    private readonly paymentSystem: PaymentSystemClient,
    private readonly recorder: PaymentStatusRecorder,
    @InjectLogger() private readonly logger: Logger,
  ) {}

  /** Queues the suspension of the application's request, if it has one that can be suspended. */
  async suspendFor(manager: EntityManager, applicationId: string): Promise<boolean> {
    const requests = await manager.find(PaymentRequestEntity, {
      where: { applicationId },
      order: { createdAt: 'DESC' },
    });
    const candidate = requests.find(
      (request) =>
        request.status === 'sending' ||
        request.status === 'send_failed' ||
        suspendablePaymentStatuses.includes(request.status),
    );
    if (!candidate) {
      if (requests.length > 0) {
        this.logger.info({ applicationId, status: requests[0]!.status }, 'no payment request to suspend');
      }
      return false;
    }
    await this.outbound.enqueue(manager, candidate.id, 'suspend');
    return true;
  }

  /** Makes the queued suspension call (the request is locked by the caller). */
  async perform(
    manager: EntityManager,
    request: PaymentRequestEntity,
    credentials: PaymentSystemCredentials,
  ): Promise<OutboundCallOutcome> {
    // Still being created: the creation goes first, then it can be suspended.
    if (request.status === 'sending') return 'wait';
    if (request.status === 'send_failed') {
      // It never reached the payment system: nothing to suspend there, and nothing to retry.
      await manager.update(
        PaymentRequestEntity,
        { id: request.id },
        {
          status: 'rejected',
          rejectionReasons: ['withdrawn before it reached the payment system'],
          problem: null,
          updatedAt: new Date(),
        },
      );
      await manager.query(
        `UPDATE payments.outbound_call SET done_at = now() WHERE payment_request_id = $1 AND done_at IS NULL`,
        [request.id],
      );
      return 'done';
    }
    if (!suspendablePaymentStatuses.includes(request.status) || !request.paymentSystemId) {
      this.logger.info({ paymentRequestId: request.id, status: request.status }, 'payment request cannot be suspended');
      return 'done';
    }
    try {
      await this.paymentSystem.suspendRequest(credentials, request.paymentSystemId);
    } catch (error) {
      if (!(error instanceof PaymentSystemRefusalError)) throw error;
      // E.g. paid in the meantime: a status query brings the real status.
      this.logger.warn({ paymentRequestId: request.id, err: error }, 'the payment system refused the suspension');
      await this.outbound.requestConfirmation(manager, request.id);
      return 'done';
    }
    await this.recorder.record(manager, request, { status: 'suspended', changeTime: new Date() }, 'suspension');
    return 'done';
  }
}
