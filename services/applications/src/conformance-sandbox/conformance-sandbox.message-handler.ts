import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { type ConformanceSandboxOpened, SchemaValidator } from '@umg/contracts';
import { type InboundMessage, validPayload } from '@umg/messaging';
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
    const payload = validPayload<ConformanceSandboxOpened>(message, this.validator, {
      type: MessageTypes.conformanceSandboxOpened,
      schema: 'ConformanceSandboxOpened',
    });
    await this.openSandbox.open(manager, payload);
  }
}
