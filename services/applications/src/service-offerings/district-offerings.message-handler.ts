import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { cloudEventTypes, type DistrictServiceOfferings, SchemaValidator } from '@umg/contracts';
import { type InboundMessage, type KafkaEventContext, onTopic, PoisonMessageError, Topics } from '@umg/messaging';
import { RecordOfferingsService } from './record-offerings.service';

/** Kafka entry point for `districts.service-offerings`. */
@Controller()
export class DistrictOfferingsMessageHandler {
  constructor(
    private readonly recordOfferings: RecordOfferingsService,
    private readonly validator: SchemaValidator,
  ) {}

  @EventPattern(cloudEventTypes.DistrictServiceOfferings, onTopic(Topics.districtServiceOfferings))
  async handle(@Payload() message: InboundMessage, @Ctx() { manager }: KafkaEventContext): Promise<void> {
    const result = this.validator.validate<DistrictServiceOfferings>('DistrictServiceOfferings', message.json());
    if (!result.ok) throw new PoisonMessageError('invalid_payload', JSON.stringify(result.errors).slice(0, 1000));
    await this.recordOfferings.record(manager, result.value);
  }
}
