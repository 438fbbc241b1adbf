import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { type ApplicationEvent, cloudEventTypes, SchemaValidator } from '@umg/contracts';
import { type InboundMessage, type KafkaEventContext, onTopic, PoisonMessageError, Topics } from '@umg/messaging';
import { RequestPaymentService } from '../request-payment/request-payment.service';
import { SuspendPaymentService } from '../suspend-payment/suspend-payment.service';

/**
 * Kafka entry point for `applications.events`: `awaiting_payment` asks for a payment request,
 * `withdrawn` and `refused` suspend the pending one; other statuses are not payments' business.
 */
@Controller()
export class ApplicationEventMessageHandler {
  constructor(
    private readonly requestPayment: RequestPaymentService,
    private readonly suspendPayment: SuspendPaymentService,
    private readonly validator: SchemaValidator,
  ) {}

  // The topic also carries deadline alerts: not this service's business (skipped), and not poison.
  @EventPattern(
    cloudEventTypes.ApplicationEvent,
    onTopic(Topics.applicationEvents, {
      statuses: ['awaiting_payment', 'withdrawn', 'refused'],
      ignores: [cloudEventTypes.ApplicationOverdue, cloudEventTypes.ApplicationDueSoon],
    }),
  )
  async handle(@Payload() message: InboundMessage, @Ctx() { manager }: KafkaEventContext): Promise<void> {
    const result = this.validator.validate<ApplicationEvent>('ApplicationEvent', message.json());
    if (!result.ok) {
      throw new PoisonMessageError('invalid_payload', JSON.stringify(result.errors).slice(0, 1000));
    }
    const event = result.value;
    switch (event.status) {
      case 'awaiting_payment':
        await this.requestPayment.request(manager, event);
        return;
      case 'withdrawn':
      case 'refused':
        await this.suspendPayment.suspendFor(manager, event.applicationId);
        return;
      default:
        return;
    }
  }
}
