import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { type ApplicationEvent, cloudEventTypes, SchemaValidator } from '@umg/contracts';
import { type InboundMessage, PoisonMessageError } from '@umg/messaging';
import type { MessageHandlerProvider } from '@umg/platform';
import { QueueDeliveryService } from './queue-delivery.service';

/** Kafka entry point for `applications.events`: validates and queues push deliveries. */
@Injectable()
export class ApplicationEventMessageHandler implements MessageHandlerProvider {
  constructor(
    private readonly queueDelivery: QueueDeliveryService,
    private readonly validator: SchemaValidator,
  ) {}

  async handle(message: InboundMessage, manager: EntityManager): Promise<void> {
    // The topic also carries overdue alerts: not this service's business, and not poison.
    if (message.type === cloudEventTypes.ApplicationOverdue) return;
    if (message.type !== cloudEventTypes.ApplicationEvent) {
      throw new PoisonMessageError('unknown_message_type', `unexpected message type "${message.type}"`);
    }
    const result = this.validator.validate<ApplicationEvent>('ApplicationEvent', message.json());
    if (!result.ok) {
      throw new PoisonMessageError('invalid_payload', JSON.stringify(result.errors).slice(0, 1000));
    }
    await this.queueDelivery.queue(manager, result.value);
  }
}
