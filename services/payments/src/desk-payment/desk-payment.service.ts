import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { Logger } from '@umg/logging';
import { InjectLogger } from '../inject-logger';
import type { OutboundCallOutcome } from '../outbound/outbound-call-outcome';
import { OutboundCalls } from '../outbound/outbound-calls';
import { PaymentError, PaymentErrorCode } from '../payment-error';
import { PaymentRequestEntity } from '../payment-request/payment-request.entity';
import { PaymentStatusRecorder } from '../payment-request/payment-status-recorder';
import {
  type PaymentSystemCredentials,
  PaymentSystemClient,
  PaymentSystemRefusalError,
} from '../payment-system/payment-system.client';

export interface DeskPayment {
  /** The district's cash-desk receipt (касова бележка / квитанция) number. */
  receiptNumber: string;
  /** Who took the money, for the payment system's description and the audit. */
  cashier?: string;
}

/**
 * A fee paid at the district's desk instead of online: the payment system is told with
 * `setStatusPaid` (method CashDesk), which it allows only from Pending; once it agrees the
 * request is paid and the application moves on as after any payment.
 */
@Injectable()
export class DeskPaymentService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly outbound: OutboundCalls,
    private readonly paymentSystem: PaymentSystemClient,
    private readonly recorder: PaymentStatusRecorder,
    @InjectLogger() private readonly logger: Logger,
  ) {}

  /** Queues the call; the same desk payment recorded twice queues it once. */
  async record(districtCode: string, applicationId: string, payment: DeskPayment): Promise<PaymentRequestEntity> {
    return this.dataSource.transaction(async (manager) => {
      const [request] = await manager.find(PaymentRequestEntity, {
        where: { applicationId, districtCode },
        order: { createdAt: 'DESC', attempt: 'DESC' },
        take: 1,
        lock: { mode: 'pessimistic_write' },
      });
      if (!request) {
        throw new PaymentError(PaymentErrorCode.PaymentRequestNotFound, `no payment request of ${applicationId} here`);
      }
      if (request.status === 'paid') return request;
      if (request.status !== 'pending' && request.status !== 'sending') {
        throw new PaymentError(
          PaymentErrorCode.PaymentNotPending,
          `the payment request is ${request.status}; a desk payment can be recorded only while it is pending`,
        );
      }
      const description = `Платено на каса в районна администрация, квитанция № ${payment.receiptNumber}${payment.cashier ? `, ${payment.cashier}` : ''}`;
      await this.outbound.enqueue(manager, request.id, 'set_paid', { description: description.slice(0, 500) });
      this.logger.info(
        { paymentRequestId: request.id, applicationId },
        'desk payment recorded; telling the payment system',
      );
      return request;
    });
  }

  /** The queued `setStatusPaid` call (the request is locked by the caller). */
  async perform(
    manager: EntityManager,
    request: PaymentRequestEntity,
    credentials: PaymentSystemCredentials,
    payload: { description?: unknown } | null,
  ): Promise<OutboundCallOutcome> {
    if (request.status === 'sending') return 'wait';
    if (request.status === 'paid') return 'done';
    if (request.status !== 'pending' || !request.paymentSystemId) {
      this.logger.warn(
        { paymentRequestId: request.id, status: request.status },
        'desk payment of a request that is not pending',
      );
      return 'done';
    }
    const description = typeof payload?.description === 'string' ? payload.description : 'Платено на каса';
    try {
      await this.paymentSystem.setStatusPaid(credentials, request.paymentSystemId, 'CashDesk', description);
    } catch (error) {
      if (!(error instanceof PaymentSystemRefusalError)) throw error;
      // E.g. the applicant paid online meanwhile: the status query brings the truth.
      this.logger.warn({ paymentRequestId: request.id, err: error }, 'the payment system refused the desk payment');
      await manager.update(
        PaymentRequestEntity,
        { id: request.id },
        { problem: { code: 'payment_system_refused', detail: error.reason, at: new Date().toISOString() } },
      );
      await this.outbound.requestConfirmation(manager, request.id);
      return 'done';
    }
    await this.recorder.record(manager, request, { status: 'paid', changeTime: new Date() }, 'desk');
    return 'done';
  }
}
