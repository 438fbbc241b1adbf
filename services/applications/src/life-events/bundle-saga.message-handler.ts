import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { type ApplicationEvent, cloudEventTypes, SchemaValidator } from '@umg/contracts';
import { type InboundMessage, validPayload } from '@umg/messaging';
import type { MessageHandlerProvider } from '@umg/platform';
import { BundleSaga, partDoneStatuses, partFailedStatuses } from './bundle-saga';

/**
 * Kafka entry point of the bundles' saga: the applications service reads its own
 * `applications.events`, so each saga step is a consumed event with its inbox row, and a crash
 * between a part's status and the step it causes is resumed by the redelivery.
 */
@Injectable()
export class BundleSagaMessageHandler implements MessageHandlerProvider {
  constructor(
    private readonly saga: BundleSaga,
    private readonly validator: SchemaValidator,
  ) {}

  /** Only a status that settles a part can move a bundle; the others are skipped before any database work. */
  accepts(message: InboundMessage): boolean {
    const status = message.announcedStatus;
    if (message.type !== cloudEventTypes.ApplicationEvent) return false;
    return status === undefined || partDoneStatuses.has(status) || partFailedStatuses.has(status);
  }

  async handle(message: InboundMessage, manager: EntityManager): Promise<void> {
    if (message.type !== cloudEventTypes.ApplicationEvent) return; // overdue and due-soon alerts settle nothing
    const event = validPayload<ApplicationEvent>(message, this.validator, {
      type: cloudEventTypes.ApplicationEvent,
      schema: 'ApplicationEvent',
    });
    await this.saga.onApplicationStatus(manager, event.applicationId, event.status);
  }
}
