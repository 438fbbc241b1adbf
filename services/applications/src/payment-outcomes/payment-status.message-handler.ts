import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { cloudEventTypes, type PaymentStatusChanged, SchemaValidator } from '@umg/contracts';
import { type InboundMessage, PoisonMessageError } from '@umg/messaging';
import type { MessageHandlerProvider } from '@umg/platform';
import { RecordPaymentOutcomeService } from './record-payment-outcome.service';

/** Kafka entry point for `payments.events`. */
@Injectable()
export class PaymentStatusMessageHandler implements MessageHandlerProvider {
  constructor(
    private readonly recordOutcome: RecordPaymentOutcomeService,
    private readonly validator: SchemaValidator,
  ) {}

  async handle(message: InboundMessage, manager: EntityManager): Promise<void> {
    if (message.type !== cloudEventTypes.PaymentStatusChanged) {
      throw new PoisonMessageError('unknown_message_type', `unexpected message type "${message.type}"`);
    }
    const result = this.validator.validate<PaymentStatusChanged>('PaymentStatusChanged', message.json());
    if (!result.ok) throw new PoisonMessageError('invalid_payload', JSON.stringify(result.errors).slice(0, 1000));
    await this.recordOutcome.record(manager, result.value);
  }
}
