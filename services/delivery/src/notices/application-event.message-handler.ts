import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { type ApplicationEvent, SchemaValidator } from '@umg/contracts';
import { type InboundMessage, PoisonMessageError } from '@umg/messaging';
import type { MessageHandlerProvider } from '@umg/platform';
import { DeliveryMessageTypes } from '../delivery/delivery-message-types';
import { PlanNoticeService } from './plan-notice.service';

const applicationsMessagePrefix = 'bg.sofia.umg.application.';

/** Kafka entry point: an application event that calls for a notice queues a delivery. */
@Injectable()
export class ApplicationEventMessageHandler implements MessageHandlerProvider {
  constructor(
    private readonly planNotice: PlanNoticeService,
    private readonly validator: SchemaValidator,
  ) {}

  async handle(message: InboundMessage, manager: EntityManager): Promise<void> {
    if (message.type !== DeliveryMessageTypes.applicationEvent) {
      // The topic also carries the applications service's other messages (e.g. overdue alerts):
      // not for delivery. Anything else is not what this topic should hold.
      if (message.type?.startsWith(applicationsMessagePrefix)) return;
      throw new PoisonMessageError('unknown_message_type', `unexpected message type "${message.type}"`);
    }
    const result = this.validator.validate<ApplicationEvent>('ApplicationEvent', message.json());
    if (!result.ok) {
      // The payload carries personal data: the reasons name fields, never values.
      throw new PoisonMessageError(
        'invalid_payload',
        `ApplicationEvent: ${JSON.stringify(result.errors).slice(0, 1000)}`,
      );
    }
    await this.planNotice.plan(manager, result.value);
  }
}
