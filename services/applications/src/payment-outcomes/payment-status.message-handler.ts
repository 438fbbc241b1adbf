import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { cloudEventTypes, type PaymentStatusChanged, SchemaValidator } from '@umg/contracts';
import { type InboundMessage, type KafkaEventContext, onTopic, Topics, validPayload } from '@umg/messaging';
import { RecordPaymentOutcomeService } from './record-payment-outcome.service';

/** Kafka entry point for `payments.events`. */
@Controller()
export class PaymentStatusMessageHandler {
  constructor(
    private readonly recordOutcome: RecordPaymentOutcomeService,
    private readonly validator: SchemaValidator,
  ) {}

  /**
   * A request announced (`pending`), paid or expired is recorded; the other statuses (authorized,
   * ordered, ...) move nothing and are skipped before any database work.
   */
  @EventPattern(
    cloudEventTypes.PaymentStatusChanged,
    onTopic(Topics.paymentEvents, { statuses: ['pending', 'paid', 'expired'] }),
  )
  async handle(@Payload() message: InboundMessage, @Ctx() { manager }: KafkaEventContext): Promise<void> {
    const payload = validPayload<PaymentStatusChanged>(message, this.validator, {
      type: cloudEventTypes.PaymentStatusChanged,
      schema: 'PaymentStatusChanged',
    });
    await this.recordOutcome.record(manager, payload);
  }
}
