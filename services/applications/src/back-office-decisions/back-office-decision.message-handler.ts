import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { type BackOfficeDecision, cloudEventTypes, SchemaValidator } from '@umg/contracts';
import { type InboundMessage, type KafkaEventContext, onTopic, PoisonMessageError, Topics } from '@umg/messaging';
import { ApplyBackOfficeDecisionService } from './apply-back-office-decision.service';

/**
 * Kafka entry point for `districts.back-office-decisions`. The decision runs in the consumer's
 * transaction (as a savepoint of the district API's frame: lock, version, timeline, outbox), so it
 * commits with the inbox row: a redelivery is recognised by the inbox, not by replaying the decision.
 */
@Controller()
export class BackOfficeDecisionMessageHandler {
  constructor(
    private readonly applyDecision: ApplyBackOfficeDecisionService,
    private readonly validator: SchemaValidator,
  ) {}

  @EventPattern(cloudEventTypes.BackOfficeDecision, onTopic(Topics.backOfficeDecisions))
  async handle(@Payload() message: InboundMessage, @Ctx() { manager }: KafkaEventContext): Promise<void> {
    const result = this.validator.validate<BackOfficeDecision>('BackOfficeDecision', message.json());
    if (!result.ok) throw new PoisonMessageError('invalid_payload', JSON.stringify(result.errors).slice(0, 1000));
    if (result.value.decision === 'register' && !result.value.registrationNumber) {
      throw new PoisonMessageError('invalid_payload', 'a registration decision without a registration number');
    }
    const [offering] = (await manager.query(
      `SELECT adapter_style FROM applications.district_offering WHERE district_code = $1`,
      [result.value.districtCode],
    )) as { adapter_style: string }[];
    await this.applyDecision.apply(manager, result.value, offering?.adapter_style ?? 'back-office');
  }
}
