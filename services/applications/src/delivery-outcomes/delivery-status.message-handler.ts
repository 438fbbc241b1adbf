import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { cloudEventTypes, type DeliveryStatusChanged, SchemaValidator } from '@umg/contracts';
import { type InboundMessage, type KafkaEventContext, onTopic, PoisonMessageError, Topics } from '@umg/messaging';
import { RecordDeliveryOutcomeService } from './record-delivery-outcome.service';

/** Kafka entry point of `delivery.events`: a result's delivery outcome moves its application. */
@Controller()
export class DeliveryStatusMessageHandler {
  constructor(
    private readonly recordOutcome: RecordDeliveryOutcomeService,
    private readonly validator: SchemaValidator,
  ) {}

  /**
   * Only final outcomes can move an application (delivered, refused document, or left for the
   * desk); in-flight statuses are skipped before any database work.
   */
  @EventPattern(
    cloudEventTypes.DeliveryStatusChanged,
    onTopic(Topics.deliveryEvents, {
      statuses: ['delivered', 'blocked_document', 'no_profile', 'receipt_timeout', 'send_failure', 'desk_collection'],
    }),
  )
  async handle(@Payload() message: InboundMessage, @Ctx() { manager }: KafkaEventContext): Promise<void> {
    const result = this.validator.validate<DeliveryStatusChanged>('DeliveryStatusChanged', message.json());
    if (!result.ok) {
      throw new PoisonMessageError(
        'invalid_payload',
        `DeliveryStatusChanged: ${JSON.stringify(result.errors).slice(0, 1000)}`,
      );
    }
    await this.recordOutcome.record(manager, result.value);
  }
}
