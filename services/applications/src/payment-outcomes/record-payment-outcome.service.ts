import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { PaymentStatusChanged } from '@umg/contracts';
import type { Logger } from '@umg/logging';
import { PoisonMessageError } from '@umg/messaging';
import { ApplicationRepository } from '../application/application.repository';
import { InjectLogger } from '../inject-logger';
import { ApplicationLifecycle } from '../lifecycle/application-lifecycle';
import type { ApplicationStatus } from '../lifecycle/application-status';

// Only Paid moves an application on; Authorized and Ordered are not money received.
const outcomes: Partial<Record<PaymentStatusChanged['status'], ApplicationStatus>> = {
  paid: 'paid',
  expired: 'expired_unpaid',
};

/** A payment request of an application awaiting payment was paid, or expired. */
@Injectable()
export class RecordPaymentOutcomeService {
  constructor(
    private readonly applications: ApplicationRepository,
    private readonly lifecycle: ApplicationLifecycle,
    @InjectLogger() private readonly logger: Logger,
  ) {}

  async record(manager: EntityManager, change: PaymentStatusChanged): Promise<void> {
    const to = outcomes[change.status];
    if (!to) return;
    const application = await this.applications.getForSystem(manager, change.applicationId);
    if (!application) {
      throw new PoisonMessageError('unknown_application', `no application ${change.applicationId}`);
    }
    if (application.status !== 'awaiting_payment') {
      this.logger.info(
        { applicationId: application.id, status: application.status, payment: change.status },
        'payment outcome does not move the application',
      );
      return;
    }
    await this.lifecycle.transition(manager, application, {
      to,
      actor: { kind: 'system', id: 'payments' },
      details: {
        paymentRequestId: change.paymentRequestId,
        aisPaymentId: change.aisPaymentId,
        amountMinor: change.amountMinor,
        currency: change.currency,
      },
      at: new Date(change.changedAt),
    });
  }
}
