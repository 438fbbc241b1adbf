import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { PaymentRequestEntity } from './payment-request.entity';

/** Reads of payment requests, locked for the writer that will change them. */
@Injectable()
export class PaymentRequests {
  lock(manager: EntityManager, id: string): Promise<PaymentRequestEntity | null> {
    return manager.findOne(PaymentRequestEntity, { where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  findByPaymentSystemId(manager: EntityManager, paymentSystemId: string): Promise<PaymentRequestEntity | null> {
    return manager.findOne(PaymentRequestEntity, { where: { paymentSystemId } });
  }

  ofApplication(manager: EntityManager, applicationId: string): Promise<PaymentRequestEntity[]> {
    return manager.find(PaymentRequestEntity, {
      where: { applicationId },
      order: { createdAt: 'ASC', attempt: 'ASC' },
    });
  }
}
