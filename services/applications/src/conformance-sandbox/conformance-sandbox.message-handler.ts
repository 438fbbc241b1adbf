import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { type ConformanceSandboxOpened, SchemaValidator } from '@umg/contracts';
import { type InboundMessage, PoisonMessageError } from '@umg/messaging';
import type { MessageHandlerProvider } from '@umg/platform';
import { MessageTypes } from '../lifecycle/message-types';
import { OpenSandboxApplicationService } from './open-sandbox-application.service';

/** Kafka entry point for `districts.conformance-sandboxes`. */
@Injectable()
export class ConformanceSandboxMessageHandler implements MessageHandlerProvider {
  constructor(
    private readonly openSandbox: OpenSandboxApplicationService,
    private readonly validator: SchemaValidator,
  ) {}

  async handle(message: InboundMessage, manager: EntityManager): Promise<void> {
    if (message.type !== MessageTypes.conformanceSandboxOpened) {
      throw new PoisonMessageError('unknown_message_type', `unexpected message type "${message.type}"`);
    }
    const result = this.validator.validate<ConformanceSandboxOpened>('ConformanceSandboxOpened', message.json());
    if (!result.ok) throw new PoisonMessageError('invalid_payload', JSON.stringify(result.errors).slice(0, 1000));
    await this.openSandbox.open(manager, result.value);
  }
}
