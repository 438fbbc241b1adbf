import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { cloudEventTypes, type PaymentStatusChanged, SchemaValidator } from '@umg/contracts';
import { type InboundMessage, validPayload } from '@umg/messaging';
import type { MessageHandlerProvider } from '@umg/platform';
import { RecordPaymentOutcomeService } from './record-payment-outcome.service';

/** Kafka entry point for `payments.events`. */
@Injectable()
export class PaymentStatusMessageHandler implements MessageHandlerProvider {
  constructor(
    private readonly recordOutcome: RecordPaymentOutcomeService,
    private readonly validator: SchemaValidator,
  ) {}

  /**
   * A request announced (`pending`), paid or expired is recorded; the other statuses (authorized,
   * ordered, ...) move nothing and are skipped before any database work.
   */
  accepts(message: InboundMessage): boolean {
    const status = message.announcedStatus;
    if (message.type !== cloudEventTypes.PaymentStatusChanged || status === undefined) return true;
    return status === 'pending' || status === 'paid' || status === 'expired';
  }

  async handle(message: InboundMessage, manager: EntityManager): Promise<void> {
    const payload = validPayload<PaymentStatusChanged>(message, this.validator, {
      type: cloudEventTypes.PaymentStatusChanged,
      schema: 'PaymentStatusChanged',
    });
    await this.recordOutcome.record(manager, payload);
  }
}
