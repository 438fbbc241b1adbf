import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { type ApplicationEvent, cloudEventTypes, SchemaValidator } from '@umg/contracts';
import { type InboundMessage, type KafkaEventContext, onTopic, Topics, validPayload } from '@umg/messaging';
import { BundleSaga, partDoneStatuses, partFailedStatuses } from './bundle-saga';

/**
 * Kafka entry point of the bundles' saga: the applications service reads its own
 * `applications.events`, so each saga step is a consumed event with its inbox row, and a crash
 * between a part's status and the step it causes is resumed by the redelivery.
 */
@Controller()
export class BundleSagaMessageHandler {
  constructor(
    private readonly saga: BundleSaga,
    private readonly validator: SchemaValidator,
  ) {}

  /**
   * Only a status that settles a part can move a bundle; the others, and the deadline alerts,
   * are skipped from the headers before any database work.
   */
  @EventPattern(
    cloudEventTypes.ApplicationEvent,
    onTopic(Topics.applicationEvents, {
      statuses: [...partDoneStatuses, ...partFailedStatuses],
      ignores: [cloudEventTypes.ApplicationOverdue, cloudEventTypes.ApplicationDueSoon],
    }),
  )
  async handle(@Payload() message: InboundMessage, @Ctx() { manager }: KafkaEventContext): Promise<void> {
    const event = validPayload<ApplicationEvent>(message, this.validator, {
      type: cloudEventTypes.ApplicationEvent,
      schema: 'ApplicationEvent',
    });
    await this.saga.onApplicationStatus(manager, event.applicationId, event.status);
  }
}
