import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import {
  type ApplicationDueSoon,
  type ApplicationEvent,
  type ApplicationOverdue,
  cloudEventTypes,
  SchemaValidator,
} from '@umg/contracts';
import { type InboundMessage, type KafkaEventContext, onTopic, PoisonMessageError, Topics } from '@umg/messaging';
import { QueuePushService } from './queue-push.service';

/** Kafka entry point for `applications.events`: validates and queues pushes (events and deadline alerts). */
@Controller()
export class ApplicationEventMessageHandler {
  constructor(
    private readonly queueDelivery: QueuePushService,
    private readonly validator: SchemaValidator,
  ) {}

  @EventPattern(cloudEventTypes.ApplicationEvent, onTopic(Topics.applicationEvents))
  async event(@Payload() message: InboundMessage, @Ctx() { manager }: KafkaEventContext): Promise<void> {
    await this.queueDelivery.queue(manager, this.validated<ApplicationEvent>('ApplicationEvent', message));
  }

  @EventPattern(cloudEventTypes.ApplicationOverdue, onTopic(Topics.applicationEvents))
  async overdue(@Payload() message: InboundMessage, @Ctx() { manager }: KafkaEventContext): Promise<void> {
    const alert = this.validated<ApplicationOverdue>('ApplicationOverdue', message);
    await this.queueDelivery.queueDeadlineAlert(manager, alert, 'overdue');
  }

  @EventPattern(cloudEventTypes.ApplicationDueSoon, onTopic(Topics.applicationEvents))
  async dueSoon(@Payload() message: InboundMessage, @Ctx() { manager }: KafkaEventContext): Promise<void> {
    const alert = this.validated<ApplicationDueSoon>('ApplicationDueSoon', message);
    await this.queueDelivery.queueDeadlineAlert(manager, alert, 'due_soon');
  }

  private validated<T>(
    schema: 'ApplicationEvent' | 'ApplicationOverdue' | 'ApplicationDueSoon',
    message: InboundMessage,
  ): T {
    const result = this.validator.validate<T>(schema, message.json());
    if (!result.ok) {
      throw new PoisonMessageError('invalid_payload', JSON.stringify(result.errors).slice(0, 1000));
    }
    return result.value;
  }
}
