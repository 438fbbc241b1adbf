import type { Application, ApplicationSummary } from '@umg/contracts';
import type { PauseRecord } from '../deadlines/deadline-clock';
import { deadlineStateOf, type DeadlineWindow } from '../deadlines/deadline-state';
import type { ApplicationEventEntity } from '../application/application-event.entity';
import { type ApplicationEntity, isSandbox } from '../application/application.entity';
import type { AttachmentEntity } from '../application/attachment.entity';
import type { DocumentEntity } from '../application/document.entity';

/** Whitelists what of an application leaves the service, in the contract's shape. */
export function toApplicationSummary(
  application: ApplicationEntity,
  window: DeadlineWindow,
  pauses?: PauseRecord[],
): ApplicationSummary {
  return {
    id: application.id,
    portalApplicationId: application.portalApplicationId,
    serviceNumber: application.serviceNumber,
    serviceName: application.serviceName,
    districtCode: application.districtCode,
    urgency: application.urgency as Application['urgency'],
    status: application.status as Application['status'],
    registrationNumber: application.registrationNumber,
    submittedAt: application.submittedAt.toISOString(),
    dueAt: application.dueAt?.toISOString() ?? null,
    overdue: deadlineStateOf(application, window) === 'overdue',
    deadline: deadlineOf(application, window, pauses),
    ...(isSandbox(application) ? { sandbox: true } : {}),
    version: application.version,
  };
}

/** What the view shows of a timeline entry, an attachment and a document. */
export type TimelineEntry = Pick<
  ApplicationEventEntity,
  'sequence' | 'fromStatus' | 'toStatus' | 'occurredAt' | 'actorKind' | 'actorId' | 'reasons' | 'details'
>;
export type ApplicationFile = Pick<
  AttachmentEntity,
  'id' | 'fileName' | 'mediaType' | 'size' | 'sha256' | 'signatures'
>;
export type ApplicationDocument = Pick<
  DocumentEntity,
  'id' | 'kind' | 'fileName' | 'mediaType' | 'size' | 'sha256' | 'createdAt' | 'supersededAt' | 'supersededBy'
>;

export function toApplication(
  application: ApplicationEntity,
  timeline: TimelineEntry[],
  attachments: ApplicationFile[],
  documents: ApplicationDocument[],
  window: DeadlineWindow,
  pauses: PauseRecord[],
): Application {
  return {
    ...toApplicationSummary(application, window, pauses),
    serviceReferenceNumber: application.serviceReferenceNumber,
    applicant: application.applicant,
    representative: application.representative
      ? { ...application.representative, capacity: application.representative.capacity ?? '' }
      : null,
    deliveryChannel: application.deliveryChannel as Application['deliveryChannel'],
    formData: application.formData as Application['formData'],
    attachments: attachments.map((attachment) => ({
      id: attachment.id,
      fileName: attachment.fileName,
      mediaType: attachment.mediaType,
      size: attachment.size,
      sha256: attachment.sha256,
      ...(attachment.signatures ? { signatures: attachment.signatures } : {}),
    })),
    documents: documents.map((document) => ({
      id: document.id,
      kind: document.kind,
      fileName: document.fileName,
      mediaType: document.mediaType,
      size: document.size,
      sha256: document.sha256,
      createdAt: document.createdAt.toISOString(),
      ...(document.supersededAt
        ? { supersededAt: document.supersededAt.toISOString(), supersededBy: document.supersededBy ?? undefined }
        : {}),
    })),
    receivedAt: application.receivedAt.toISOString(),
    timeline: timeline.map((entry) => ({
      sequence: entry.sequence,
      fromStatus: entry.fromStatus as Application['status'] | null,
      toStatus: entry.toStatus as Application['status'],
      occurredAt: entry.occurredAt.toISOString(),
      actor: { kind: entry.actorKind as Application['timeline'][number]['actor']['kind'], id: entry.actorId },
      ...(entry.reasons ? { reasons: entry.reasons } : {}),
      ...(entry.details ? { details: entry.details } : {}),
    })),
    ...(application.handover ? { handover: application.handover } : {}),
  };
}

type ApplicationDeadline = NonNullable<ApplicationSummary['deadline']>;

/** The deadline as districts see it; the pauses only in the full application (they cost a query). */
function deadlineOf(
  application: ApplicationEntity,
  window: DeadlineWindow,
  pauses?: PauseRecord[],
): ApplicationDeadline | null {
  const term =
    application.termUnit !== null && application.termAmount !== null
      ? { unit: application.termUnit, amount: application.termAmount }
      : undefined;
  if (!term && !application.dueAt) return null;
  return {
    state: deadlineStateOf(application, window),
    dueAt: application.dueAt?.toISOString() ?? null,
    // Applications from before terms were stored ran from receipt.
    termStartsAt: application.termStartsAt ?? 'submission',
    termStartedAt: (application.termStartedAt ?? (term ? null : application.receivedAt))?.toISOString() ?? null,
    pausedSince: application.pausedSince?.toISOString() ?? null,
    ...(term ? { term } : {}),
    ...(pauses
      ? {
          pauses: pauses.map((pause) => ({
            pausedAt: pause.pausedAt.toISOString(),
            resumedAt: pause.resumedAt?.toISOString() ?? null,
            workingMs: pause.workingMs,
          })),
        }
      : {}),
  };
}
