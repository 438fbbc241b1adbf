import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { ApplicationEvent, ApplicationStatusChanged, SandboxApplicationStep } from '@umg/contracts';
import { Outbox, Topics } from '@umg/messaging';
import type { BulgarianCalendar } from '@umg/calendar';
import type { ReasonRecord } from '../application/application-event.entity';
import { ApplicationEntity, isSandbox } from '../application/application.entity';
import { type ClockStep, DeadlineClock } from '../deadlines/deadline-clock';
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
  /** The working calendar, when the caller read it with the application: the clock needs no query then. */
  calendar?: BulgarianCalendar;
}

/** What a transition may change besides status, version and time: the request's and the clock's fields. */
type ApplicationChanges = NonNullable<TransitionRequest['changes']> & ClockStep['changes'];

/** Each changeable field's column; JSON ones are sent as text and cast. */
const changeColumns: Record<keyof ApplicationChanges, { column: string; json?: true }> = {
  registrationNumber: { column: 'registration_number' },
  formData: { column: 'form_data', json: true },
  handover: { column: 'handover', json: true },
  dueAt: { column: 'due_at' },
  termUnit: { column: 'term_unit' },
  termAmount: { column: 'term_amount' },
  termStartsAt: { column: 'term_starts_at' },
  termStartedAt: { column: 'term_started_at' },
  pausedSince: { column: 'paused_since' },
};

const json = (value: unknown): string | null => (value === null || value === undefined ? null : JSON.stringify(value));

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
    // The application and its first entry in one statement; its timeline counter starts at 1.
    await manager.query(
      `WITH opened AS (
         INSERT INTO applications.application (id, portal_application_id, service_reference_number, service_number,
           service_name, district_code, urgency, status, registration_number, applicant, representative,
           delivery_channel, e_delivery_profile_id, form_data, submitted_at, received_at, due_at, overdue_at,
           due_soon_at, term_unit, term_amount, term_starts_at, term_started_at, paused_since, conformance_run_id,
           handover, version, updated_at, last_sequence)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::jsonb, $11::jsonb, $12, $13, $14::jsonb, $15, $16, $17, $18,
           $19, $20, $21, $22, $23, $24, $25, $26::jsonb, $27, $28, 1)
         RETURNING id, district_code)
       INSERT INTO applications.application_event
         (application_id, district_code, sequence, from_status, to_status, occurred_at, actor_kind, actor_id)
       SELECT id, district_code, 1, NULL, $8, $16, $29, $30 FROM opened`,
      [
        application.id,
        application.portalApplicationId,
        application.serviceReferenceNumber,
        application.serviceNumber,
        application.serviceName,
        application.districtCode,
        application.urgency,
        application.status,
        application.registrationNumber ?? null,
        json(application.applicant),
        json(application.representative),
        application.deliveryChannel,
        application.eDeliveryProfileId ?? null,
        json(application.formData),
        application.submittedAt,
        application.receivedAt,
        application.dueAt ?? null,
        application.overdueAt ?? null,
        application.dueSoonAt ?? null,
        application.termUnit ?? null,
        application.termAmount ?? null,
        application.termStartsAt ?? null,
        application.termStartedAt ?? null,
        application.pausedSince ?? null,
        application.conformanceRunId ?? null,
        json(application.handover),
        application.version,
        application.updatedAt,
        actor.kind,
        actor.id,
      ],
    );
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
      : await this.clock.onTransition(manager, application, request.to, at, request.calendar);
    const changes: ApplicationChanges = { ...(request.changes ?? {}), ...(clock?.changes ?? {}) };
    const recorded = clock ? { ...request, details: { ...(request.details ?? {}), ...clock.details } } : request;
    const next = Object.assign(new ApplicationEntity(), application, changes, {
      status: request.to,
      version: application.version + 1,
      updatedAt: at,
    });
    const sequence = await this.apply(manager, application, changes, from, { ...recorded, at });
    await this.record(manager, next, from, { ...recorded, at }, sequence);
    return next;
  }

  /**
   * One statement: the update of the version read (none when someone else moved it: refused), with
   * the next timeline sequence taken from the row's counter, and the timeline entry under it.
   */
  private async apply(
    manager: EntityManager,
    application: ApplicationEntity,
    changes: ApplicationChanges,
    from: ApplicationStatus,
    request: TransitionRequest & { at: Date },
  ): Promise<number> {
    const values: unknown[] = [
      application.id,
      application.version,
      request.to,
      request.at,
      from,
      request.actor.kind,
      request.actor.id,
      json(request.reasons),
      json(request.details),
    ];
    const sets = Object.entries(changes)
      .filter(([, value]) => value !== undefined)
      .map(([field, value]) => {
        const { column, json: isJson } = changeColumns[field as keyof ApplicationChanges];
        values.push(isJson ? json(value) : value);
        return `, ${column} = $${values.length}${isJson ? '::jsonb' : ''}`;
      });
    const rows = (await manager.query(
      `WITH moved AS (
         UPDATE applications.application
            SET status = $3, version = version + 1, last_sequence = last_sequence + 1, updated_at = $4${sets.join('')}
          WHERE id = $1 AND version = $2
         RETURNING id, district_code, last_sequence)
       INSERT INTO applications.application_event
         (application_id, district_code, sequence, from_status, to_status, occurred_at, actor_kind, actor_id, reasons, details)
       SELECT id, district_code, last_sequence, $5, $3, $4, $6, $7, $8::jsonb, $9::jsonb FROM moved
       RETURNING sequence`,
      values,
    )) as { sequence: number }[];
    if (rows.length !== 1) {
      throw new ApplicationError(
        ApplicationErrorCode.ConcurrentUpdate,
        'the application was changed by someone else at the same time; read it again',
      );
    }
    return rows[0]!.sequence;
  }

  private async record(
    manager: EntityManager,
    application: ApplicationEntity,
    from: ApplicationStatus | null,
    request: TransitionRequest & { at: Date },
    sequence: number,
  ): Promise<void> {
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
