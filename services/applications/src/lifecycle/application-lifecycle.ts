import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { ApplicationEvent, ApplicationStatusChanged, SandboxApplicationStep } from '@umg/contracts';
import { Outbox, Topics } from '@umg/messaging';
import { ApplicationEventEntity, type ReasonRecord } from '../application/application-event.entity';
import { ApplicationEntity, isSandbox } from '../application/application.entity';
import { DeadlineClock } from '../deadlines/deadline-clock';
import { ApplicationError, ApplicationErrorCode } from './application-error';
import type { Actor, ApplicationStatus } from './application-status';
import { assertTransition } from './application-state-machine';
import { MessageTypes } from './message-types';

export interface TransitionRequest {
  to: ApplicationStatus;
  actor: Actor;
  reasons?: ReasonRecord[];
  details?: Record<string, string | number | boolean | null>;
  /** Fields that change together with the status (e.g. the registration number). */
  changes?: Partial<Pick<ApplicationEntity, 'registrationNumber' | 'formData' | 'dueAt' | 'handover'>>;
  /** Documents that come with this step (a result or a refusal), for delivery. */
  documentIds?: string[];
  at?: Date;
}

/**
 * Applies transitions: checks them against the state machine, bumps the version (refusing a
 * concurrent writer), appends the timeline entry, and queues the portal status update and the
 * domain event in the same transaction.
 */
@Injectable()
export class ApplicationLifecycle {
  constructor(
    private readonly outbox: Outbox,
    private readonly clock: DeadlineClock,
  ) {}

  /** Stores a new application in "received" and records its first timeline entry. */
  async open(manager: EntityManager, application: ApplicationEntity, actor: Actor): Promise<ApplicationEntity> {
    application.status = 'received';
    application.version = 1;
    await manager.insert(ApplicationEntity, application);
    await this.record(manager, application, null, { to: 'received', actor, at: application.receivedAt }, 1);
    return application;
  }

  async transition(
    manager: EntityManager,
    application: ApplicationEntity,
    request: TransitionRequest,
  ): Promise<ApplicationEntity> {
    const from = application.status as ApplicationStatus;
    assertTransition(from, request.to, request.actor.kind);
    const at = request.at ?? new Date();
    // The term's clock stops, resumes or starts with some transitions, in the same transaction.
    const clock = isSandbox(application)
      ? undefined
      : await this.clock.onTransition(manager, application, request.to, at);
    const changes: Partial<ApplicationEntity> = { ...(request.changes ?? {}), ...(clock?.changes ?? {}) };
    const recorded = clock ? { ...request, details: { ...(request.details ?? {}), ...clock.details } } : request;
    const next = Object.assign(new ApplicationEntity(), application, changes, {
      status: request.to,
      version: application.version + 1,
      updatedAt: at,
    });
    const result = await manager
      .createQueryBuilder()
      .update(ApplicationEntity)
      .set({ ...changes, status: next.status, version: next.version, updatedAt: at })
      .where('id = :id AND version = :version', { id: application.id, version: application.version })
      .execute();
    if (result.affected !== 1) {
      throw new ApplicationError(
        ApplicationErrorCode.ConcurrentUpdate,
        'the application was changed by someone else at the same time; read it again',
      );
    }
    const sequence = await this.nextSequence(manager, application.id);
    await this.record(manager, next, from, { ...recorded, at }, sequence);
    return next;
  }

  private async nextSequence(manager: EntityManager, applicationId: string): Promise<number> {
    const [row] = (await manager.query(
      `SELECT coalesce(max(sequence), 0) + 1 AS next FROM applications.application_event WHERE application_id = $1`,
      [applicationId],
    )) as { next: number }[];
    return Number(row!.next);
  }

  private async record(
    manager: EntityManager,
    application: ApplicationEntity,
    from: ApplicationStatus | null,
    request: TransitionRequest & { at: Date },
    sequence: number,
  ): Promise<void> {
    await manager.insert(ApplicationEventEntity, {
      applicationId: application.id,
      districtCode: application.districtCode,
      sequence,
      fromStatus: from,
      toStatus: request.to,
      occurredAt: request.at,
      actorKind: request.actor.kind,
      actorId: request.actor.id,
      reasons: request.reasons ?? null,
      details: request.details ?? null,
    });
    if (isSandbox(application)) {
      // A sandbox application reaches no portal, payment or delivery: only the run that watches it.
      const step: SandboxApplicationStep = {
        runId: application.conformanceRunId!,
        applicationId: application.id,
        districtCode: application.districtCode,
        status: request.to,
        previousStatus: from,
        sequence,
        occurredAt: request.at.toISOString(),
        actor: request.actor,
        registrationNumber: application.registrationNumber,
        ...(request.documentIds ? { documentCount: request.documentIds.length } : {}),
      };
      await this.outbox.enqueue(manager, {
        topic: Topics.sandboxSteps,
        key: application.id,
        type: MessageTypes.sandboxApplicationStep,
        payload: step,
      });
      return;
    }
    const statusChanged: ApplicationStatusChanged = {
      applicationId: application.id,
      portalApplicationId: application.portalApplicationId,
      serviceReferenceNumber: application.serviceReferenceNumber,
      districtCode: application.districtCode,
      status: request.to,
      previousStatus: from,
      registrationNumber: application.registrationNumber,
      ...(request.reasons ? { reasons: request.reasons } : {}),
      occurredAt: request.at.toISOString(),
      sequence,
    };
    const event: ApplicationEvent = {
      applicationId: application.id,
      portalApplicationId: application.portalApplicationId,
      serviceReferenceNumber: application.serviceReferenceNumber,
      districtCode: application.districtCode,
      serviceNumber: application.serviceNumber,
      urgency: application.urgency as ApplicationEvent['urgency'],
      status: request.to,
      previousStatus: from,
      sequence,
      occurredAt: request.at.toISOString(),
      actor: request.actor,
      registrationNumber: application.registrationNumber,
      applicant: application.applicant,
      deliveryChannel: application.deliveryChannel as ApplicationEvent['deliveryChannel'],
      eDeliveryProfileId: application.eDeliveryProfileId,
      ...(request.reasons ? { reasons: request.reasons } : {}),
      ...(request.documentIds ? { documentIds: request.documentIds } : {}),
    };
    await this.outbox.enqueue(manager, [
      {
        topic: Topics.portalApplicationStatus,
        key: application.portalApplicationId,
        type: MessageTypes.applicationStatusChanged,
        payload: statusChanged,
        extensions: { umgstatus: request.to },
      },
      {
        topic: Topics.applicationEvents,
        key: application.id,
        type: MessageTypes.applicationEvent,
        payload: event,
        // Consumers skip the statuses they ignore from this header, before any database work.
        extensions: { umgstatus: request.to },
      },
    ]);
  }
}
