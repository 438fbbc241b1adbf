import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { ExchangeLog } from '@umg/exchange-log';
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
    private readonly exchangeLog: ExchangeLog,
  ) {}

  async handle(message: InboundMessage, manager: EntityManager): Promise<void> {
    const body = message.json();
    const outcome = await this.dispatch(message, body, manager);
    const subject = await this.subjectOf(body, manager);
    // The exchange with the portal, in the same transaction as its effect, naming the application.
    await this.exchangeLog.append(manager, {
      occurredAt: new Date(),
      party: 'portal',
      direction: 'inbound',
      operation: `kafka ${message.topic} ${message.type ?? ''}`.trim(),
      requestId: message.id,
      requestHash: createHash('sha256')
        .update(message.value ?? Buffer.alloc(0))
        .digest('hex'),
      outcome,
      ...subject,
    });
  }

  /** The application (our id) and district a portal message concerns, when it names them. */
  private async subjectOf(
    body: unknown,
    manager: EntityManager,
  ): Promise<{ applicationId: string | null; districtCode: string | null }> {
    const { portalApplicationId, districtCode } = (body ?? {}) as {
      portalApplicationId?: unknown;
      districtCode?: unknown;
    };
    const district = typeof districtCode === 'string' ? districtCode.slice(0, 64) : null;
    if (typeof portalApplicationId !== 'string' || !/^\S{1,64}$/.test(portalApplicationId)) {
      return { applicationId: null, districtCode: district };
    }
    const [row] = (await manager.query(`SELECT id FROM applications.application WHERE portal_application_id = $1`, [
      portalApplicationId,
    ])) as { id: string }[];
    return { applicationId: row?.id ?? null, districtCode: district };
  }

  private dispatch(message: InboundMessage, body: unknown, manager: EntityManager): Promise<string> {
    switch (message.type) {
      case MessageTypes.applicationSubmitted:
        return this.submitted(body, manager);
      case MessageTypes.applicationWithdrawn:
        return this.withdrawn(body, manager);
      default:
        throw new PoisonMessageError('unknown_message_type', `unexpected message type "${message.type}"`);
    }
  }

  private async withdrawn(body: unknown, manager: EntityManager): Promise<string> {
    const result = this.validator.validate<ApplicationWithdrawn>('ApplicationWithdrawn', body);
    if (!result.ok) {
      throw new PoisonMessageError('invalid_withdrawal', JSON.stringify(result.errors).slice(0, 500));
    }
    await this.withdrawApplication.withdraw(manager, result.value);
    return 'processed';
  }

  private async submitted(body: unknown, manager: EntityManager): Promise<string> {
    const result = this.validator.validate<ApplicationSubmitted>('ApplicationSubmitted', body);
    if (result.ok) return this.receiveSubmission.receive(manager, result.value);
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
    return 'rejected';
  }
}
