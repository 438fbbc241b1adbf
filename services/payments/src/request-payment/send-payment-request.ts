import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Logger } from '@umg/logging';
import { InjectLogger } from '../inject-logger';
import type { OutboundCallOutcome } from '../outbound/outbound-call-outcome';
import { PaymentRequestEntity } from '../payment-request/payment-request.entity';
import { PaymentStatusRecorder } from '../payment-request/payment-status-recorder';
import { PaymentSystemClient, PaymentSystemRefusalError } from '../payment-system/payment-system.client';

/** Sends a queued payment request; its accepted receipt makes it `pending`. */
@Injectable()
export class SendPaymentRequest {
  constructor(
    private readonly paymentSystem: PaymentSystemClient,
    private readonly recorder: PaymentStatusRecorder,
    @InjectLogger() private readonly logger: Logger,
  ) {}

  async send(manager: EntityManager, request: PaymentRequestEntity): Promise<OutboundCallOutcome> {
    if (request.status !== 'sending') return 'done';
    let receipt;
    try {
      receipt = await this.paymentSystem.createPaymentRequest(request.wireRequest);
    } catch (error) {
      if (!(error instanceof PaymentSystemRefusalError)) throw error;
      receipt = { accepted: false as const, reasons: [error.message] };
    }
    if (receipt.accepted) {
      request.paymentSystemId = receipt.paymentSystemId;
      await this.recorder.record(
        manager,
        request,
        { status: 'pending', changeTime: receipt.registrationTime },
        'receipt',
      );
      return 'done';
    }
    await manager.update(
      PaymentRequestEntity,
      { id: request.id },
      { status: 'rejected', rejectionReasons: receipt.reasons, updatedAt: new Date() },
    );
    this.logger.error(
      { paymentRequestId: request.id, applicationId: request.applicationId, reasons: receipt.reasons },
      'the payment system did not accept the payment request',
    );
    return 'done';
  }
}
