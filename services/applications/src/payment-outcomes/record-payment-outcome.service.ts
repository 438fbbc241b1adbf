import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { PaymentStatusChanged } from '@umg/contracts';
import type { Logger } from '@umg/logging';
import { PoisonMessageError } from '@umg/messaging';
import { ApplicationRepository } from '../application/application.repository';
import { WorkingCalendar } from '../calendar/working-calendar';
import { InjectLogger } from '../inject-logger';
import { ApplicationLifecycle } from '../lifecycle/application-lifecycle';
import type { ApplicationStatus } from '../lifecycle/application-status';
import { paymentOutcomeSubject, recordAnnouncedPaymentRequest } from './payment-request-table';

// Only Paid moves an application on; Authorized and Ordered are not money received.
const outcomes: Partial<Record<PaymentStatusChanged['status'], ApplicationStatus>> = {
  paid: 'paid',
  expired: 'expired_unpaid',
};

const mismatch = (reason: string) => new PoisonMessageError('payment_outcome_mismatch', reason);

/**
 * A payment request of an application awaiting payment was paid, or expired. Whoever can write
 * `payments.events` is not trusted blindly (review F5): the request must be one payments announced
 * for THIS application (its `pending` event, kept in our table), with the same amount, currency and
 * district; anything else is dead-lettered as `payment_outcome_mismatch` and changes nothing.
 */
@Injectable()
export class RecordPaymentOutcomeService {
  constructor(
    private readonly applications: ApplicationRepository,
    private readonly lifecycle: ApplicationLifecycle,
    private readonly calendars: WorkingCalendar,
    @InjectLogger() private readonly logger: Logger,
  ) {}

  async record(manager: EntityManager, change: PaymentStatusChanged): Promise<void> {
    if (change.status === 'pending') {
      await this.announce(manager, change);
      return;
    }
    const to = outcomes[change.status];
    if (!to) return;
    const subject = await paymentOutcomeSubject(manager, change.applicationId, change.paymentRequestId);
    if (!subject) {
      throw new PoisonMessageError('unknown_application', `no application ${change.applicationId}`);
    }
    const { application, request } = subject;
    if (!request) {
      throw mismatch(`payment request ${change.paymentRequestId} was never announced for an application`);
    }
    const differences = [
      request.applicationId !== application.id && `it is for application ${request.applicationId}`,
      change.districtCode !== application.districtCode &&
        `district ${change.districtCode} is not the application's ${application.districtCode}`,
      request.districtCode !== change.districtCode && `district ${change.districtCode} was ${request.districtCode}`,
      (request.amountMinor !== change.amountMinor || request.currency !== change.currency) &&
        `amount ${change.amountMinor} ${change.currency} was announced as ${request.amountMinor} ${request.currency}`,
    ].filter(Boolean);
    if (differences.length > 0) {
      throw mismatch(`${change.status} for payment request ${change.paymentRequestId}: ${differences.join('; ')}`);
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
      calendar: this.calendars.of(subject.decreeDays),
    });
  }

  /** Payments made a request for one of our applications: remember what it asks, to check its outcome. */
  private async announce(manager: EntityManager, change: PaymentStatusChanged): Promise<void> {
    const application = await this.applications.getForSystem(manager, change.applicationId);
    if (!application) return; // not ours to check; its outcome will be dead-lettered as unknown
    if (change.districtCode !== application.districtCode) {
      throw mismatch(
        `pending payment request ${change.paymentRequestId}: district ${change.districtCode} is not the application's ${application.districtCode}`,
      );
    }
    const recorded = await recordAnnouncedPaymentRequest(manager, {
      paymentRequestId: change.paymentRequestId,
      applicationId: application.id,
      districtCode: change.districtCode,
      amountMinor: change.amountMinor,
      currency: change.currency,
    });
    // The same request announced again (a redelivery) must say the same; a changed one is not trusted.
    if (
      recorded.applicationId !== application.id ||
      recorded.amountMinor !== change.amountMinor ||
      recorded.currency !== change.currency ||
      recorded.districtCode !== change.districtCode
    ) {
      throw mismatch(`payment request ${change.paymentRequestId} announced again with other terms`);
    }
  }
}
