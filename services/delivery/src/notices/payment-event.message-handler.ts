import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { cloudEventTypes, type PaymentStatusChanged, SchemaValidator } from '@umg/contracts';
import { type InboundMessage, validPayload } from '@umg/messaging';
import type { MessageHandlerProvider } from '@umg/platform';
import { PlanNoticeService } from './plan-notice.service';

/** Kafka entry point for `payments.events`: an accepted payment request calls for a payment notice. */
@Injectable()
export class PaymentEventMessageHandler implements MessageHandlerProvider {
  constructor(
    private readonly planNotice: PlanNoticeService,
    private readonly validator: SchemaValidator,
  ) {}

  /** Only a new request (`pending`) calls for a notice: other statuses are skipped before any database work. */
  accepts(message: InboundMessage): boolean {
    const status = message.announcedStatus;
    if (message.type !== cloudEventTypes.PaymentStatusChanged || status === undefined) return true;
    return status === 'pending';
  }

  async handle(message: InboundMessage, manager: EntityManager): Promise<void> {
    const change = validPayload<PaymentStatusChanged>(message, this.validator, {
      type: cloudEventTypes.PaymentStatusChanged,
      schema: 'PaymentStatusChanged',
    });
    await this.planNotice.planPaymentNotice(manager, change);
  }
}
