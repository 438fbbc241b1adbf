import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { cloudEventTypes, type DistrictServiceOfferings, SchemaValidator } from '@umg/contracts';
import { type InboundMessage, PoisonMessageError } from '@umg/messaging';
import type { MessageHandlerProvider } from '@umg/platform';
import { RecordOfferingsService } from './record-offerings.service';

/** Kafka entry point for `districts.service-offerings`. */
@Injectable()
export class DistrictOfferingsMessageHandler implements MessageHandlerProvider {
  constructor(
    private readonly recordOfferings: RecordOfferingsService,
    private readonly validator: SchemaValidator,
  ) {}

  async handle(message: InboundMessage, manager: EntityManager): Promise<void> {
    if (message.type !== cloudEventTypes.DistrictServiceOfferings) {
      throw new PoisonMessageError('unknown_message_type', `unexpected message type "${message.type}"`);
    }
    const result = this.validator.validate<DistrictServiceOfferings>('DistrictServiceOfferings', message.json());
    if (!result.ok) throw new PoisonMessageError('invalid_payload', JSON.stringify(result.errors).slice(0, 1000));
    await this.recordOfferings.record(manager, result.value);
  }
}
