import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import {
  type ApplicationDueSoon,
  type ApplicationEvent,
  type ApplicationOverdue,
  cloudEventTypes,
  SchemaValidator,
} from '@umg/contracts';
import { type InboundMessage, PoisonMessageError } from '@umg/messaging';
import type { MessageHandlerProvider } from '@umg/platform';
import { QueuePushService } from './queue-push.service';

/** Kafka entry point for `applications.events`: validates and queues pushes (events and deadline alerts). */
@Injectable()
export class ApplicationEventMessageHandler implements MessageHandlerProvider {
  constructor(
    private readonly queueDelivery: QueuePushService,
    private readonly validator: SchemaValidator,
  ) {}

  async handle(message: InboundMessage, manager: EntityManager): Promise<void> {
    if (message.type === cloudEventTypes.ApplicationOverdue) {
      const alert = this.validated<ApplicationOverdue>('ApplicationOverdue', message);
      await this.queueDelivery.queueDeadlineAlert(manager, alert, 'overdue');
      return;
    }
    if (message.type === cloudEventTypes.ApplicationDueSoon) {
      const alert = this.validated<ApplicationDueSoon>('ApplicationDueSoon', message);
      await this.queueDelivery.queueDeadlineAlert(manager, alert, 'due_soon');
      return;
    }
    if (message.type !== cloudEventTypes.ApplicationEvent) {
      throw new PoisonMessageError('unknown_message_type', `unexpected message type "${message.type}"`);
    }
    await this.queueDelivery.queue(manager, this.validated<ApplicationEvent>('ApplicationEvent', message));
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
