import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { type ApplicationEvent, applicationStatuses, SchemaValidator } from '@umg/contracts';
import { type InboundMessage, type KafkaEventContext, onTopic, PoisonMessageError, Topics } from '@umg/messaging';
import { DeliveryMessageTypes } from '../delivery/delivery-message-types';
import { noticeFor } from './notice-kind';
import { PlanNoticeService } from './plan-notice.service';

/** The statuses that call for a notice: events of the others are skipped before any database work. */
const noticeStatuses = applicationStatuses.filter((status) => noticeFor(status) !== undefined);

/** Kafka entry point: an application event that calls for a notice queues a delivery. */
@Controller()
export class ApplicationEventMessageHandler {
  constructor(
    private readonly planNotice: PlanNoticeService,
    private readonly validator: SchemaValidator,
  ) {}

  // The topic also carries deadline alerts: not for delivery (skipped). Any other type is poison,
  // even one that looks like the applications service's (the bad-input run found those silently dropped).
  @EventPattern(
    DeliveryMessageTypes.applicationEvent,
    onTopic(Topics.applicationEvents, {
      statuses: noticeStatuses,
      ignores: [DeliveryMessageTypes.applicationOverdue, DeliveryMessageTypes.applicationDueSoon],
    }),
  )
  async handle(@Payload() message: InboundMessage, @Ctx() { manager }: KafkaEventContext): Promise<void> {
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
