import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { type ConformanceSandboxOpened, SchemaValidator } from '@umg/contracts';
import { type InboundMessage, type KafkaEventContext, onTopic, Topics, validPayload } from '@umg/messaging';
import { MessageTypes } from '../lifecycle/message-types';
import { OpenSandboxApplicationService } from './open-sandbox-application.service';

/** Kafka entry point for `districts.conformance-sandboxes`. */
@Controller()
export class ConformanceSandboxMessageHandler {
  constructor(
    private readonly openSandbox: OpenSandboxApplicationService,
    private readonly validator: SchemaValidator,
  ) {}

  @EventPattern(MessageTypes.conformanceSandboxOpened, onTopic(Topics.conformanceSandboxes))
  async handle(@Payload() message: InboundMessage, @Ctx() { manager }: KafkaEventContext): Promise<void> {
    const payload = validPayload<ConformanceSandboxOpened>(message, this.validator, {
      type: MessageTypes.conformanceSandboxOpened,
      schema: 'ConformanceSandboxOpened',
    });
    await this.openSandbox.open(manager, payload);
  }
}
