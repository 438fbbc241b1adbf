import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from '@umg/logging';
import { SERVICE_LOGGER } from '@umg/platform';
import type { DeliveryConfig } from '../config';
import { DELIVERY_CONFIG } from '../delivery-config.token';
import { DeliveryReasonCode } from '../delivery/delivery-status';
import type { ReasonRecord } from '../delivery/delivery.entity';
import { ApplicationsDocumentsClient } from '../documents/applications-documents.client';
import { DocumentFetchError } from '../documents/document-fetch.error';
import { EDeliveryCallError } from '../e-delivery/e-delivery-call.error';
import { maliciousFileName } from '../e-delivery/e-delivery-fault';
import type { ReceiverType, SentMessageStatus } from '../e-delivery/e-delivery-wire';
import { EDeliveryClient } from '../e-delivery/e-delivery.client';
import { type ClaimedDelivery, DeliveryQueue } from './delivery-queue';
import { feedbackLink } from './feedback-link';
import { type AttachableDocument, noticeMessage } from './notice-message';
import { RecipientRegistrations } from './recipient-registrations';

/**
 * Sends one claimed delivery through ССЕВ, which has no idempotency key:
 * 1. a delivery that already tried to send (`sendIntentAt`) is first looked up by our registration
 *    number — found, it is recorded as sent, never sent again;
 * 2. before the first send, CheckSubjectHasRegistration (a positive answer is remembered a while): no profile → desk collection (no_profile);
 *    a notice on an application that came as the applicant's own e-delivery message answers it
 *    (SendMessageInReplyTo) instead;
 * 3. the documents are taken from the applications service, the intent is committed, and only
 *    then SendMessage is called.
 * Every way it can end is recorded on the delivery.
 */
@Injectable()
export class SendDeliveryService {
  constructor(
    private readonly queue: DeliveryQueue,
    private readonly eDelivery: EDeliveryClient,
    private readonly registrations: RecipientRegistrations,
    private readonly documents: ApplicationsDocumentsClient,
    @Inject(DELIVERY_CONFIG) private readonly config: DeliveryConfig,
    @Inject(SERVICE_LOGGER) private readonly logger: Logger,
  ) {}

  async send(claim: ClaimedDelivery): Promise<void> {
    const { delivery } = claim;
    try {
      if (delivery.sendIntentAt) {
        const sent = await this.eDelivery.findSentByRegistrationNumber(delivery.districtCode, delivery.id);
        if (sent) {
          this.logger.info({ deliveryId: delivery.id, messageId: sent.messageId }, 'found the message sent before');
          await this.sent(claim, sent.messageId, sent);
          return;
        }
      }
      // An answer to the applicant's own message goes back to its sender, who has a profile by then.
      if (!delivery.recipientProfileId && !delivery.replyToMessageId) {
        const registration = await this.registrations.check(delivery.districtCode, delivery.applicant.identifier);
        if (!registration.hasRegistration) {
          await this.settle(claim, 'no_profile', {
            code: DeliveryReasonCode.noProfile,
            message: 'The applicant has no profile in e-delivery.',
          });
          return;
        }
        delivery.recipientProfileId = registration.subjectId ?? delivery.applicant.identifier;
      }

      const attachments: AttachableDocument[] = [];
      for (const document of claim.documents) {
        const fetched = await this.documents.fetch(delivery.districtCode, delivery.applicationId, document.documentId);
        Object.assign(document, {
          fileName: fetched.fileName,
          mediaType: fetched.mediaType,
          size: fetched.size,
          sha256: fetched.sha256,
        });
        attachments.push(fetched);
      }

      delivery.sendIntentAt = new Date();
      if (!(await this.queue.recordIntent(claim))) return;
      const message = noticeMessage(
        delivery,
        attachments,
        this.config.DELIVERY_SENDER_NAME,
        delivery.noticeKind === 'result' ? feedbackLink(this.config, delivery.applicationId) : undefined,
      );
      const messageId = delivery.replyToMessageId
        ? await this.eDelivery.sendMessageInReplyTo(delivery.districtCode, message, delivery.replyToMessageId)
        : await this.eDelivery.sendMessage(delivery.districtCode, {
            message,
            receiverType: receiverTypeOf(delivery.applicant.identifierType),
            receiverIdentifier: delivery.applicant.identifier,
            receiverEmail: null,
            serviceOid: null,
          });
      await this.sent(claim, messageId, null);
    } catch (error) {
      await this.failed(claim, error);
    }
  }

  private async sent(claim: ClaimedDelivery, messageId: number, status: SentMessageStatus | null): Promise<void> {
    const now = Date.now();
    const { delivery } = claim;
    delivery.eDeliveryMessageId = String(messageId);
    delivery.nroAt = status?.dateSent ?? new Date(now);
    const sentAt = delivery.nroAt.getTime();
    delivery.receiptDeadlineAt = new Date(sentAt + this.config.DELIVERY_RECEIPT_TIMEOUT_MS);
    await this.queue.settle(claim, 'waiting_for_receipt', null, new Date(now + this.config.DELIVERY_RECEIPT_POLL_MS));
  }

  private async settle(
    claim: ClaimedDelivery,
    status: 'no_profile' | 'blocked_document' | 'send_failure',
    reason: ReasonRecord,
  ): Promise<void> {
    await this.queue.settle(claim, status, reason, null);
  }

  private async failed(claim: ClaimedDelivery, error: unknown): Promise<void> {
    const message = error instanceof Error ? error.message : String(error);
    if (error instanceof DocumentFetchError) {
      if (error.transient) {
        await this.queue.retryLater(claim, { code: DeliveryReasonCode.documentUnavailable, message }, true);
      } else {
        await this.settle(claim, 'blocked_document', { code: DeliveryReasonCode.documentNotAllowed, message });
      }
      return;
    }
    if (!(error instanceof EDeliveryCallError)) {
      // Our own failure (e.g. the database): the lease runs out and the delivery is tried again.
      this.logger.error({ err: error, deliveryId: claim.delivery.id }, 'delivery attempt failed unexpectedly');
      return;
    }
    if (error.transient) {
      // A call the open breaker stopped was never made: it does not use up an attempt.
      await this.queue.retryLater(claim, { code: DeliveryReasonCode.eDeliveryUnavailable, message }, error.attempted);
      return;
    }
    switch (error.fault) {
      case 'malicious_document': {
        // The district is asked, through the delivery's reason, for a clean document.
        const fileName = maliciousFileName(message.replace(/^.*?: /, ''));
        for (const document of claim.documents) {
          if (document.fileName === fileName) {
            document.malwareScanStatus = 'ISMALICIOUS';
            document.blockedReason = 'e-delivery’s malware scan found the document malicious';
          }
        }
        await this.settle(claim, 'blocked_document', {
          code: DeliveryReasonCode.documentMalicious,
          message: `${message}. The district is asked to issue a new document.`,
        });
        return;
      }
      case 'no_profile':
        await this.settle(claim, 'no_profile', { code: DeliveryReasonCode.noProfile, message });
        return;
      case 'invalid_recipient':
        await this.settle(claim, 'send_failure', { code: DeliveryReasonCode.invalidRecipient, message });
        return;
      case 'security':
        await this.settle(claim, 'send_failure', { code: DeliveryReasonCode.noSigningIdentity, message });
        return;
      case 'not_found':
      case 'refused':
      case 'unknown':
      case null:
        await this.settle(claim, 'send_failure', { code: DeliveryReasonCode.eDeliveryRejected, message });
        return;
    }
  }
}

function receiverTypeOf(identifierType: 'EGN' | 'LNCH' | 'EIK'): ReceiverType {
  return identifierType === 'EIK' ? 'LegalPerson' : 'Person';
}
