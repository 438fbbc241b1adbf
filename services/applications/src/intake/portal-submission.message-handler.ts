import { createHash } from 'node:crypto';
import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { ExchangeLog } from '@umg/exchange-log';
import type { EntityManager } from 'typeorm';
import {
  type ApplicationSubmitted,
  type ApplicationWithdrawn,
  type LifeEventRequested,
  SchemaValidator,
} from '@umg/contracts';
import { type InboundMessage, type KafkaEventContext, onTopic, PoisonMessageError, Topics } from '@umg/messaging';
import { MessageTypes } from '../lifecycle/message-types';
import { RequestLifeEventService } from '../life-events/request-life-event.service';
import { ReceiveSubmissionService } from './receive-submission.service';
import { WithdrawApplicationService } from './withdraw-application.service';

/** The messages that are answered "rejected" when they fail their schema: the id they are answered under. */
const rejectable = {
  submission: { idField: 'portalApplicationId', poisonCode: 'invalid_submission' },
  'life-event request': { idField: 'requestId', poisonCode: 'invalid_life_event_request' },
} as const;

/** The exchange's outcome for the log, and the application it concerns when there is one. */
interface Handled {
  outcome: string;
  applicationId: string | null;
}

/**
 * Kafka entry point of portal intake. A message that cannot even be answered (not JSON, unknown
 * type, no portal application id) is poison and goes to the dead-letter topic; a submission
 * that fails its schema is answered to the portal as rejected, with the reasons.
 */
@Controller()
export class PortalSubmissionMessageHandler {
  constructor(
    private readonly receiveSubmission: ReceiveSubmissionService,
    private readonly withdrawApplication: WithdrawApplicationService,
    private readonly requestLifeEvent: RequestLifeEventService,
    private readonly validator: SchemaValidator,
    private readonly exchangeLog: ExchangeLog,
  ) {}

  @EventPattern(
    [MessageTypes.applicationSubmitted, MessageTypes.applicationWithdrawn, MessageTypes.lifeEventRequested],
    onTopic(Topics.portalApplicationSubmitted),
  )
  async handle(@Payload() message: InboundMessage, @Ctx() { manager }: KafkaEventContext): Promise<void> {
    const body = message.json();
    const { outcome, applicationId } = await this.dispatch(message, body, manager);
    const districtCode = (body as { districtCode?: unknown } | null)?.districtCode;
    // The exchange with the portal, in the same transaction as its effect, naming the application;
    // written at the commit with the batch's others (one lock and one insert for all of them).
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
      applicationId,
      districtCode: typeof districtCode === 'string' ? districtCode.slice(0, 64) : null,
    });
  }

  private dispatch(message: InboundMessage, body: unknown, manager: EntityManager): Promise<Handled> {
    switch (message.type) {
      case MessageTypes.applicationSubmitted:
        return this.submitted(body, manager);
      case MessageTypes.applicationWithdrawn:
        return this.withdrawn(body, manager);
      case MessageTypes.lifeEventRequested:
        return this.lifeEventRequested(body, manager);
      default:
        throw new PoisonMessageError('unknown_message_type', `unexpected message type "${message.type}"`);
    }
  }

  private async withdrawn(body: unknown, manager: EntityManager): Promise<Handled> {
    const result = this.validator.validate<ApplicationWithdrawn>('ApplicationWithdrawn', body);
    if (!result.ok) {
      throw new PoisonMessageError('invalid_withdrawal', JSON.stringify(result.errors).slice(0, 500));
    }
    return { outcome: 'processed', applicationId: await this.withdrawApplication.withdraw(manager, result.value) };
  }

  /** A request that fails its schema is answered like a submission: rejected under its request id. */
  private async lifeEventRequested(body: unknown, manager: EntityManager): Promise<Handled> {
    const result = this.validator.validate<LifeEventRequested>('LifeEventRequested', body);
    if (result.ok) {
      const { outcome } = await this.requestLifeEvent.request(manager, result.value);
      return { outcome, applicationId: null };
    }
    await this.reject(manager, body, 'life-event request', result.errors);
    return { outcome: 'rejected', applicationId: null };
  }

  private async submitted(body: unknown, manager: EntityManager): Promise<Handled> {
    const result = this.validator.validate<ApplicationSubmitted>('ApplicationSubmitted', body);
    if (result.ok) return this.receiveSubmission.receive(manager, result.value);
    const portalApplicationId = await this.reject(manager, body, 'submission', result.errors);
    // Refused before it became one; an application of that portal id may exist (a bad correction).
    const [row] = (await manager.query(`SELECT id FROM applications.application WHERE portal_application_id = $1`, [
      portalApplicationId,
    ])) as { id: string }[];
    return { outcome: 'rejected', applicationId: row?.id ?? null };
  }

  /**
   * Answers the portal that a message failing its schema is rejected, under the id it names;
   * without a usable id there is no one to answer, and the message is poison.
   */
  private async reject(
    manager: EntityManager,
    body: unknown,
    kind: keyof typeof rejectable,
    errors: { code: string; field: string; message: string }[],
  ): Promise<string> {
    const { idField, poisonCode } = rejectable[kind];
    const id = (body as Record<string, unknown> | null)?.[idField];
    if (typeof id !== 'string' || !/^\S{1,64}$/.test(id)) {
      throw new PoisonMessageError(
        poisonCode,
        `${kind} without a usable ${idField}: ${JSON.stringify(errors).slice(0, 500)}`,
      );
    }
    await this.receiveSubmission.reject(
      manager,
      id,
      errors.map((error) => ({ code: error.code, field: error.field, message: error.message })),
    );
    return id;
  }
}
