import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { cloudEventTypes, type SandboxApplicationStep, SchemaValidator } from '@umg/contracts';
import { type InboundMessage, PoisonMessageError } from '@umg/messaging';
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
    if (message.type !== cloudEventTypes.SandboxApplicationStep) {
      throw new PoisonMessageError('unknown_message_type', `unexpected message type "${message.type}"`);
    }
    const result = this.validator.validate<SandboxApplicationStep>('SandboxApplicationStep', message.json());
    if (!result.ok) throw new PoisonMessageError('invalid_payload', JSON.stringify(result.errors).slice(0, 1000));
    await this.scoreStep.score(manager, result.value);
  }
}
