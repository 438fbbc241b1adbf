import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { type ApplicationEvent, cloudEventTypes, SchemaValidator } from '@umg/contracts';
import { type InboundMessage, PoisonMessageError } from '@umg/messaging';
import type { MessageHandlerProvider } from '@umg/platform';
import { RequestPaymentService } from '../request-payment/request-payment.service';
import { SuspendPaymentService } from '../suspend-payment/suspend-payment.service';

/**
 * Kafka entry point for `applications.events`: `awaiting_payment` asks for a payment request,
 * `withdrawn` and `refused` suspend the pending one; other statuses are not payments' business.
 */
@Injectable()
export class ApplicationEventMessageHandler implements MessageHandlerProvider {
  constructor(
    private readonly requestPayment: RequestPaymentService,
    private readonly suspendPayment: SuspendPaymentService,
    private readonly validator: SchemaValidator,
  ) {}

  /** Deadline alerts and the statuses `handle` passes over are skipped before any database work. */
  accepts(message: InboundMessage): boolean {
    if (message.type === cloudEventTypes.ApplicationOverdue || message.type === cloudEventTypes.ApplicationDueSoon) {
      return false;
    }
    const status = message.announcedStatus;
    if (message.type !== cloudEventTypes.ApplicationEvent || status === undefined) return true;
    return status === 'awaiting_payment' || status === 'withdrawn' || status === 'refused';
  }

  async handle(message: InboundMessage, manager: EntityManager): Promise<void> {
    // The topic also carries deadline alerts: not this service's business, and not poison.
    if (message.type === cloudEventTypes.ApplicationOverdue || message.type === cloudEventTypes.ApplicationDueSoon) {
      return;
    }
    if (message.type !== cloudEventTypes.ApplicationEvent) {
      throw new PoisonMessageError('unknown_message_type', `unexpected message type "${message.type}"`);
    }
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
