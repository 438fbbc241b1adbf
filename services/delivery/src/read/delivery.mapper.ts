import type { DeliveryInternal } from '@umg/contracts';
import type { DeliveryDocumentEntity } from '../delivery/delivery-document.entity';
import type { DeliveryEvidenceEntity } from '../delivery/delivery-evidence.entity';
import type { DeliveryStatusChangeEntity } from '../delivery/delivery-status-change.entity';
import { isFinalDeliveryStatus } from '../delivery/delivery-status';
import type { DeliveryEntity } from '../delivery/delivery.entity';

type Delivery = DeliveryInternal.components['schemas']['Delivery'];

/** What leaves the service about a delivery: never the applicant's identifier, never the claim. */
export function toDelivery(
  delivery: DeliveryEntity,
  documents: DeliveryDocumentEntity[],
  history: DeliveryStatusChangeEntity[],
  evidence: DeliveryEvidenceEntity[],
): Delivery {
  const iso = (date: Date | null) => date?.toISOString() ?? null;
  return {
    id: delivery.id,
    applicationId: delivery.applicationId,
    districtCode: delivery.districtCode,
    noticeKind: delivery.noticeKind,
    status: delivery.status,
    final: isFinalDeliveryStatus(delivery.status),
    serviceReferenceNumber: delivery.serviceReferenceNumber,
    serviceNumber: delivery.serviceNumber,
    recipientProfileId: delivery.recipientProfileId,
    eDeliveryMessageId: delivery.eDeliveryMessageId,
    reason: delivery.reason,
    attempts: delivery.attempts,
    nroAt: iso(delivery.nroAt),
    nrdAt: iso(delivery.nrdAt),
    receivedAt: iso(delivery.receivedAt),
    openedAt: iso(delivery.openedAt),
    receiptDeadlineAt: iso(delivery.receiptDeadlineAt),
    createdAt: delivery.createdAt.toISOString(),
    updatedAt: delivery.updatedAt.toISOString(),
    documents: documents.map((document) => ({
      documentId: document.documentId,
      fileName: document.fileName,
      mediaType: document.mediaType,
      size: document.size,
      sha256: document.sha256,
      blobId: document.blobId,
      malwareScanStatus: document.malwareScanStatus,
      signatureStatus: document.signatureStatus,
      blocked: document.blockedReason !== null,
      blockedReason: document.blockedReason,
    })),
    history: history.map((entry) => ({
      sequence: entry.sequence,
      status: entry.status,
      reason: entry.reason,
      changedAt: entry.changedAt.toISOString(),
    })),
    evidence: evidence.map((entry) => ({
      kind: entry.kind,
      fileName: entry.fileName,
      size: entry.content.length,
      sha256: entry.sha256,
      recordedAt: entry.recordedAt.toISOString(),
    })),
  };
}
