import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { type ApplicationSubmitted, type ApplicationWithdrawn, SchemaValidator } from '@umg/contracts';
import { type InboundMessage, PoisonMessageError } from '@umg/messaging';
import type { MessageHandlerProvider } from '@umg/platform';
import { MessageTypes } from '../lifecycle/message-types';
import { ReceiveSubmissionService } from './receive-submission.service';
import { WithdrawApplicationService } from './withdraw-application.service';

/**
 * Kafka entry point of portal intake. A message that cannot even be answered (not JSON, unknown
 * type, no portal application id) is poison and goes to the dead-letter topic; a submission
 * that fails its schema is answered to the portal as rejected, with the reasons.
 */
@Injectable()
export class PortalSubmissionMessageHandler implements MessageHandlerProvider {
  constructor(
    private readonly receiveSubmission: ReceiveSubmissionService,
    private readonly withdrawApplication: WithdrawApplicationService,
    private readonly validator: SchemaValidator,
  ) {}

  async handle(message: InboundMessage, manager: EntityManager): Promise<void> {
    const body = message.json();
    switch (message.type) {
      case MessageTypes.applicationSubmitted:
        return this.submitted(body, manager);
      case MessageTypes.applicationWithdrawn:
        return this.withdrawn(body, manager);
      default:
        throw new PoisonMessageError('unknown_message_type', `unexpected message type "${message.type}"`);
    }
  }

  private async withdrawn(body: unknown, manager: EntityManager): Promise<void> {
    const result = this.validator.validate<ApplicationWithdrawn>('ApplicationWithdrawn', body);
    if (!result.ok) {
      throw new PoisonMessageError('invalid_withdrawal', JSON.stringify(result.errors).slice(0, 500));
    }
    await this.withdrawApplication.withdraw(manager, result.value);
  }

  private async submitted(body: unknown, manager: EntityManager): Promise<void> {
    const result = this.validator.validate<ApplicationSubmitted>('ApplicationSubmitted', body);
    if (result.ok) {
      await this.receiveSubmission.receive(manager, result.value);
      return;
    }
    const portalApplicationId = (body as { portalApplicationId?: unknown } | null)?.portalApplicationId;
    if (typeof portalApplicationId !== 'string' || !/^\S{1,64}$/.test(portalApplicationId)) {
      throw new PoisonMessageError(
        'invalid_submission',
        `submission without a usable portalApplicationId: ${JSON.stringify(result.errors).slice(0, 500)}`,
      );
    }
    await this.receiveSubmission.reject(
      manager,
      portalApplicationId,
      result.errors.map((error) => ({ code: error.code, field: error.field, message: error.message })),
    );
  }
}
