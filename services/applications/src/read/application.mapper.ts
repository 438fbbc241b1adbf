import type { Application, ApplicationSummary } from '@umg/contracts';
import type { ApplicationEventEntity } from '../application/application-event.entity';
import { type ApplicationEntity, isSandbox } from '../application/application.entity';
import type { AttachmentEntity } from '../application/attachment.entity';
import type { DocumentEntity } from '../application/document.entity';

/** Whitelists what of an application leaves the service, in the contract's shape. */
export function toApplicationSummary(application: ApplicationEntity, now = new Date()): ApplicationSummary {
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
    overdue: isOverdue(application, now),
    ...(isSandbox(application) ? { sandbox: true } : {}),
    version: application.version,
  };
}

export function toApplication(
  application: ApplicationEntity,
  timeline: ApplicationEventEntity[],
  attachments: AttachmentEntity[],
  documents: DocumentEntity[],
  now = new Date(),
): Application {
  return {
    ...toApplicationSummary(application, now),
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

const closedStatuses = new Set([
  'delivered',
  'refused',
  'withdrawn',
  'awaiting_collection',
  'handed_over',
  'expired_unpaid',
]);

function isOverdue(application: ApplicationEntity, now: Date): boolean {
  return application.dueAt !== null && application.dueAt < now && !closedStatuses.has(application.status);
}
