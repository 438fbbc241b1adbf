import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { cloudEventTypes, type SandboxApplicationStep, SchemaValidator } from '@umg/contracts';
import { type InboundMessage, type KafkaEventContext, onTopic, Topics, validPayload } from '@umg/messaging';
import { ScoreSandboxStepService } from './score-sandbox-step.service';

/** Kafka entry point for `applications.sandbox-steps`. */
@Controller()
export class SandboxStepMessageHandler {
  constructor(
    private readonly scoreStep: ScoreSandboxStepService,
    private readonly validator: SchemaValidator,
  ) {}

  @EventPattern(cloudEventTypes.SandboxApplicationStep, onTopic(Topics.sandboxSteps))
  async handle(@Payload() message: InboundMessage, @Ctx() { manager }: KafkaEventContext): Promise<void> {
    const payload = validPayload<SandboxApplicationStep>(message, this.validator, {
      type: cloudEventTypes.SandboxApplicationStep,
      schema: 'SandboxApplicationStep',
    });
    await this.scoreStep.score(manager, payload);
  }
}
