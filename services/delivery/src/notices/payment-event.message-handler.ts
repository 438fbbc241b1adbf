import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { cloudEventTypes, type PaymentStatusChanged, SchemaValidator } from '@umg/contracts';
import { type InboundMessage, type KafkaEventContext, onTopic, Topics, validPayload } from '@umg/messaging';
import { PlanNoticeService } from './plan-notice.service';

/** Kafka entry point for `payments.events`: an accepted payment request calls for a payment notice. */
@Controller()
export class PaymentEventMessageHandler {
  constructor(
    private readonly planNotice: PlanNoticeService,
    private readonly validator: SchemaValidator,
  ) {}

  /** Only a new request (`pending`) calls for a notice: other statuses are skipped before any database work. */
  @EventPattern(cloudEventTypes.PaymentStatusChanged, onTopic(Topics.paymentEvents, { statuses: ['pending'] }))
  async handle(@Payload() message: InboundMessage, @Ctx() { manager }: KafkaEventContext): Promise<void> {
    const change = validPayload<PaymentStatusChanged>(message, this.validator, {
      type: cloudEventTypes.PaymentStatusChanged,
      schema: 'PaymentStatusChanged',
    });
    await this.planNotice.planPaymentNotice(manager, change);
  }
}
