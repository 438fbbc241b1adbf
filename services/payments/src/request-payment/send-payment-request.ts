import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Logger } from '@umg/logging';
import { InjectLogger } from '../inject-logger';
import type { OutboundCallOutcome } from '../outbound/outbound-call-outcome';
import { OutboundCalls } from '../outbound/outbound-calls';
import { PaymentRequestEntity } from '../payment-request/payment-request.entity';
import { PaymentStatusRecorder } from '../payment-request/payment-status-recorder';
import {
  type PaymentSystemCredentials,
  PaymentSystemClient,
  PaymentSystemRefusalError,
} from '../payment-system/payment-system.client';

/**
 * Sends a queued payment request (`paymentJson`). Re-sending after a lost answer carries the same
 * `aisPaymentId`, which the payment system treats as a replacement of the still-Pending request,
 * never a second one. Its accepted receipt makes it `pending`, with the access code the applicant
 * types at pay.egov.bg; an unaccepted receipt is kept with its errors for the district.
 */
@Injectable()
export class SendPaymentRequest {
  constructor(
    private readonly paymentSystem: PaymentSystemClient,
    private readonly recorder: PaymentStatusRecorder,
    private readonly outbound: OutboundCalls,
    @InjectLogger() private readonly logger: Logger,
  ) {}

  async send(
    manager: EntityManager,
    request: PaymentRequestEntity,
    credentials: PaymentSystemCredentials,
  ): Promise<OutboundCallOutcome> {
    if (request.status !== 'sending') return 'done';
    let receipt;
    try {
      receipt = await this.paymentSystem.createPaymentRequest(credentials, request.wireRequest);
    } catch (error) {
      if (!(error instanceof PaymentSystemRefusalError)) throw error;
      receipt = { accepted: false as const, reasons: [error.reason], validationTime: null };
    }
    if (!receipt.accepted) {
      await manager.update(
        PaymentRequestEntity,
        { id: request.id },
        { status: 'rejected', rejectionReasons: receipt.reasons, problem: null, updatedAt: new Date() },
      );
      this.logger.error(
        { paymentRequestId: request.id, applicationId: request.applicationId, reasons: receipt.reasons },
        'the payment system did not accept the payment request',
      );
      return 'done';
    }
    request.paymentSystemId = receipt.paymentSystemId;
    request.accessCode = await this.accessCodeOrLater(manager, request, credentials);
    await this.recorder.record(
      manager,
      request,
      { status: 'pending', changeTime: receipt.registrationTime },
      'receipt',
    );
    return 'done';
  }

  /** Fetches the access code with the receipt, so the pending event carries it; queued when that fails. */
  private async accessCodeOrLater(
    manager: EntityManager,
    request: PaymentRequestEntity,
    credentials: PaymentSystemCredentials,
  ): Promise<string | null> {
    try {
      return await this.paymentSystem.accessCode(credentials, request.paymentSystemId!);
    } catch (error) {
      // The request itself is accepted: keep the receipt, fetch the code in a call of its own.
      this.logger.warn({ paymentRequestId: request.id, err: error }, 'no access code yet; asking again later');
      await this.outbound.enqueue(manager, request.id, 'access_code');
      return null;
    }
  }

  /** The queued `access_code` call: stores the code once the system gives one. */
  async fetchAccessCode(
    manager: EntityManager,
    request: PaymentRequestEntity,
    credentials: PaymentSystemCredentials,
  ): Promise<OutboundCallOutcome> {
    if (!request.paymentSystemId) return request.status === 'sending' ? 'wait' : 'done';
    if (request.accessCode) return 'done';
    const accessCode = await this.paymentSystem.accessCode(credentials, request.paymentSystemId);
    await manager.update(PaymentRequestEntity, { id: request.id }, { accessCode, updatedAt: new Date() });
    return 'done';
  }
}
