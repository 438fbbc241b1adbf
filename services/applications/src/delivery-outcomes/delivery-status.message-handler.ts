import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { cloudEventTypes, type DeliveryStatusChanged, SchemaValidator } from '@umg/contracts';
import { type InboundMessage, PoisonMessageError } from '@umg/messaging';
import type { MessageHandlerProvider } from '@umg/platform';
import { RecordDeliveryOutcomeService } from './record-delivery-outcome.service';

/** Kafka entry point of `delivery.events`: a result's delivery outcome moves its application. */
@Injectable()
export class DeliveryStatusMessageHandler implements MessageHandlerProvider {
  constructor(
    private readonly recordOutcome: RecordDeliveryOutcomeService,
    private readonly validator: SchemaValidator,
  ) {}

  /**
   * Only final outcomes can move an application (delivered, refused document, or left for the
   * desk); in-flight statuses are skipped before any database work.
   */
  accepts(message: InboundMessage): boolean {
    const status = message.announcedStatus;
    if (message.type !== cloudEventTypes.DeliveryStatusChanged || status === undefined) return true;
    return [
      'delivered',
      'blocked_document',
      'no_profile',
      'receipt_timeout',
      'send_failure',
      'desk_collection',
    ].includes(status);
  }

  async handle(message: InboundMessage, manager: EntityManager): Promise<void> {
    if (message.type !== cloudEventTypes.DeliveryStatusChanged) {
      throw new PoisonMessageError('unknown_message_type', `unexpected message type "${message.type}"`);
    }
    const result = this.validator.validate<DeliveryStatusChanged>('DeliveryStatusChanged', message.json());
    if (!result.ok) {
      throw new PoisonMessageError(
        'invalid_payload',
        `DeliveryStatusChanged: ${JSON.stringify(result.errors).slice(0, 1000)}`,
      );
    }
    await this.recordOutcome.record(manager, result.value);
  }
}
