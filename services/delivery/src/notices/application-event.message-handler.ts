import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { type ApplicationEvent, type ApplicationStatus, SchemaValidator } from '@umg/contracts';
import { type InboundMessage, PoisonMessageError } from '@umg/messaging';
import type { MessageHandlerProvider } from '@umg/platform';
import { DeliveryMessageTypes } from '../delivery/delivery-message-types';
import { noticeFor } from './notice-kind';
import { PlanNoticeService } from './plan-notice.service';

/** Kafka entry point: an application event that calls for a notice queues a delivery. */
@Injectable()
export class ApplicationEventMessageHandler implements MessageHandlerProvider {
  constructor(
    private readonly planNotice: PlanNoticeService,
    private readonly validator: SchemaValidator,
  ) {}

  /** Deadline alerts and statuses that call for no notice are skipped before any database work. */
  accepts(message: InboundMessage): boolean {
    if (message.type === DeliveryMessageTypes.applicationOverdue) return false;
    if (message.type === DeliveryMessageTypes.applicationDueSoon) return false;
    const status = message.announcedStatus;
    if (message.type !== DeliveryMessageTypes.applicationEvent || status === undefined) return true;
    return noticeFor(status as ApplicationStatus) !== undefined;
  }

  async handle(message: InboundMessage, manager: EntityManager): Promise<void> {
    // The topic also carries overdue alerts: not for delivery. Any other type is poison, even one
    // that looks like the applications service's (the bad-input run found those silently dropped).
    if (message.type === DeliveryMessageTypes.applicationOverdue) return;
    if (message.type === DeliveryMessageTypes.applicationDueSoon) return;
    if (message.type !== DeliveryMessageTypes.applicationEvent) {
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
