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

  async handle(message: InboundMessage, manager: EntityManager): Promise<void> {
    const change = validPayload<PaymentStatusChanged>(message, this.validator, {
      type: cloudEventTypes.PaymentStatusChanged,
      schema: 'PaymentStatusChanged',
    });
    await this.planNotice.planPaymentNotice(manager, change);
  }
}
