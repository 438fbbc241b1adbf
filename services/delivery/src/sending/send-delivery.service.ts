import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from '@umg/logging';
import { SERVICE_LOGGER } from '@umg/platform';
import type { DeliveryConfig } from '../config';
import { DELIVERY_CONFIG } from '../delivery-config.token';
import type { DeliveryDocumentEntity } from '../delivery/delivery-document.entity';
import { DeliveryReasonCode } from '../delivery/delivery-status';
import { ApplicationsDocumentsClient } from '../documents/applications-documents.client';
import { DocumentFetchError } from '../documents/document-fetch.error';
import { EDeliveryCallError } from '../e-delivery/e-delivery-call.error';
import { EDeliveryClient } from '../e-delivery/e-delivery.client';
import { blockReason } from './document-verdict';
import { type ClaimedDelivery, DeliveryQueue } from './delivery-queue';
import { noticeMessage } from './notice-message';

/**
 * Sends one claimed delivery: find the applicant's profile, take each document from the
 * applications service and upload it to e-delivery (which scans it and checks its signature),
 * then send the message. Every way it can end is recorded on the delivery.
 */
@Injectable()
export class SendDeliveryService {
  constructor(
    private readonly queue: DeliveryQueue,
    private readonly eDelivery: EDeliveryClient,
    private readonly documents: ApplicationsDocumentsClient,
    @Inject(DELIVERY_CONFIG) private readonly config: DeliveryConfig,
    @Inject(SERVICE_LOGGER) private readonly logger: Logger,
  ) {}

  async send(claim: ClaimedDelivery): Promise<void> {
    const { delivery } = claim;
    try {
      const profile = await this.eDelivery.findProfile(delivery.eDeliveryProfileId, delivery.applicant.identifier);
      if (!profile) {
        await this.queue.settle(
          claim,
          'no_profile',
          { code: DeliveryReasonCode.noProfile, message: 'The applicant has no profile in e-delivery.' },
          null,
        );
        return;
      }
      delivery.recipientProfileId = profile.profileId;

      for (const document of claim.documents) await this.upload(claim, document);
      const blocked = claim.documents.filter((document) => document.blockedReason);
      if (blocked.length > 0) {
        const malicious = blocked.some((document) => document.malwareScanStatus === 'ISMALICIOUS');
        await this.queue.settle(
          claim,
          'blocked_document',
          {
            code: malicious ? DeliveryReasonCode.documentMalicious : DeliveryReasonCode.documentSignatureInvalid,
            message: blocked.map((document) => `${document.fileName}: ${document.blockedReason}`).join('; '),
          },
          null,
        );
        return;
      }

      const sent = await this.eDelivery.sendMessage(
        noticeMessage(
          delivery,
          profile.profileId,
          claim.documents.map((document) => document.blobId!),
          this.config.DELIVERY_SENDER_NAME,
        ),
      );
      const now = Date.now();
      delivery.eDeliveryMessageId = sent.messageId;
      delivery.nroAt = new Date(sent.nroTimestamp ?? sent.sentAt);
      delivery.receiptDeadlineAt = new Date(now + this.config.DELIVERY_RECEIPT_TIMEOUT_MS);
      await this.queue.settle(claim, 'waiting_for_receipt', null, new Date(now + this.config.DELIVERY_RECEIPT_POLL_MS));
    } catch (error) {
      await this.failed(claim, error);
    }
  }

  /** Takes the document from the applications service and uploads it, unless an earlier attempt did. */
  private async upload(claim: ClaimedDelivery, document: DeliveryDocumentEntity): Promise<void> {
    if (document.blobId) return;
    const fetched = await this.documents.fetch(
      claim.delivery.districtCode,
      claim.delivery.applicationId,
      document.documentId,
    );
    Object.assign(document, {
      fileName: fetched.fileName,
      mediaType: fetched.mediaType,
      size: fetched.size,
      sha256: fetched.sha256,
    });
    const blob = await this.eDelivery.uploadBlob(fetched.fileName, fetched.mediaType, fetched.content);
    document.blobId = blob.blobId;
    document.malwareScanStatus = blob.malwareScanResult.status;
    document.signatureStatus = worstSignature(blob.signatures.map((signature) => signature.status));
    document.blockedReason = blockReason(document.malwareScanStatus, document.signatureStatus);
  }

  private async failed(claim: ClaimedDelivery, error: unknown): Promise<void> {
    const message = error instanceof Error ? error.message : String(error);
    if (error instanceof DocumentFetchError) {
      if (error.transient) {
        await this.queue.retryLater(claim, { code: DeliveryReasonCode.documentUnavailable, message }, true);
      } else {
        await this.queue.settle(
          claim,
          'blocked_document',
          { code: DeliveryReasonCode.documentNotAllowed, message },
          null,
        );
      }
      return;
    }
    if (error instanceof EDeliveryCallError) {
      if (error.transient) {
        // A call the open breaker stopped was never made: it does not use up an attempt.
        await this.queue.retryLater(claim, { code: DeliveryReasonCode.eDeliveryUnavailable, message }, error.attempted);
      } else {
        await this.queue.settle(claim, 'send_failure', { code: DeliveryReasonCode.eDeliveryRejected, message }, null);
      }
      return;
    }
    // Our own failure (e.g. the database): the lease runs out and the delivery is tried again.
    this.logger.error({ err: error, deliveryId: claim.delivery.id }, 'delivery attempt failed unexpectedly');
  }
}

const signatureOrder = [
  'INVALIDINTEGRITY',
  'INVALIDCERTIFICATE',
  'CERTIFICATEEXPIREDATTIMEOFSIGNING',
  'VALID',
] as const;

/** The worst of a document's signature statuses; `null` when it is unsigned. */
function worstSignature(
  statuses: DeliveryDocumentEntity['signatureStatus'][],
): DeliveryDocumentEntity['signatureStatus'] {
  return signatureOrder.find((status) => statuses.includes(status)) ?? null;
}
