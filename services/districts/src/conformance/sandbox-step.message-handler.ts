import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { cloudEventTypes, type SandboxApplicationStep, SchemaValidator } from '@umg/contracts';
import { type InboundMessage, validPayload } from '@umg/messaging';
import type { MessageHandlerProvider } from '@umg/platform';
import { ScoreSandboxStepService } from './score-sandbox-step.service';

/** Kafka entry point for `applications.sandbox-steps`. */
@Injectable()
export class SandboxStepMessageHandler implements MessageHandlerProvider {
  constructor(
    private readonly scoreStep: ScoreSandboxStepService,
    private readonly validator: SchemaValidator,
  ) {}

  async handle(message: InboundMessage, manager: EntityManager): Promise<void> {
    const payload = validPayload<SandboxApplicationStep>(message, this.validator, {
      type: cloudEventTypes.SandboxApplicationStep,
      schema: 'SandboxApplicationStep',
    });
    await this.scoreStep.score(manager, payload);
  }
}
