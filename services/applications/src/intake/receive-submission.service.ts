import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { findDistrict } from '@umg/catalogue';
import type { ApplicationSubmitted, SubmissionRejected } from '@umg/contracts';
import type { Logger } from '@umg/logging';
import { Outbox, Topics } from '@umg/messaging';
import { InjectLogger } from '../inject-logger';
import { ApplicationEntity } from '../application/application.entity';
import { AttachmentEntity } from '../application/attachment.entity';
import { ApplicationLifecycle } from '../lifecycle/application-lifecycle';
import { DeadlineClock } from '../deadlines/deadline-clock';
import { feeRequired } from '../lifecycle/fee-policy';
import { MessageTypes } from '../lifecycle/message-types';
import { checkSubmission, type RejectionReason } from './submission-checks';
import { ServiceOfferings } from './service-offerings';

export type SubmissionOutcome = 'created' | 'duplicate' | 'rejected';

/**
 * Portal intake: a valid submission becomes an application, received and routed to its district;
 * an invalid one is answered to the portal with its reasons; a repeated one changes nothing.
 */
@Injectable()
export class ReceiveSubmissionService {
  constructor(
    private readonly lifecycle: ApplicationLifecycle,
    private readonly offerings: ServiceOfferings,
    private readonly deadlines: DeadlineClock,
    private readonly outbox: Outbox,
    @InjectLogger() private readonly logger: Logger,
  ) {}

  async receive(manager: EntityManager, submission: ApplicationSubmitted): Promise<SubmissionOutcome> {
    const existing = await manager.findOne(ApplicationEntity, {
      where: { portalApplicationId: submission.portalApplicationId },
      lock: { mode: 'pessimistic_write' },
    });
    if (existing && submission.resubmissionOf === existing.id && existing.status === 'returned_for_corrections') {
      return this.resubmit(manager, existing, submission);
    }
    if (existing) {
      this.logger.info({ applicationId: existing.id }, 'repeated submission ignored');
      return 'duplicate';
    }
    if (submission.resubmissionOf) {
      await this.reject(manager, submission.portalApplicationId, [
        {
          code: 'resubmission_not_expected',
          field: 'resubmissionOf',
          message: 'no application of this portal id is waiting for corrections under that id',
        },
      ]);
      return 'rejected';
    }
    const offering = await this.offerings.offering(manager, submission.districtCode, submission.serviceNumber);
    if (offering.kind === 'unknown' && findDistrict(submission.districtCode)) {
      // Only right after a fresh start, before the districts' offerings arrive: retried, and
      // dead-lettered (replayable) rather than wrongly rejected if they never come.
      throw new Error(`the offerings of district ${submission.districtCode} are not known yet`);
    }
    const { reasons, service } = checkSubmission(submission, offering);
    if (reasons.length > 0 || !service) {
      await this.reject(manager, submission.portalApplicationId, reasons);
      return 'rejected';
    }
    const receivedAt = new Date();
    const application = Object.assign(new ApplicationEntity(), {
      id: randomUUID(),
      portalApplicationId: submission.portalApplicationId,
      serviceReferenceNumber: submission.serviceReferenceNumber,
      serviceNumber: service.serviceNumber,
      serviceName: service.nameBg,
      districtCode: submission.districtCode,
      urgency: submission.urgency,
      registrationNumber: null,
      applicant: submission.applicant,
      representative: submission.representative ?? null,
      deliveryChannel: submission.deliveryChannel,
      eDeliveryProfileId: submission.eDeliveryProfileId ?? null,
      formData: submission.formData,
      submittedAt: new Date(submission.submittedAt),
      receivedAt,
      overdueAt: null,
      dueSoonAt: null,
      conformanceRunId: null,
      updatedAt: receivedAt,
    });
    Object.assign(
      application,
      await this.deadlines.start(manager, service, submission.urgency, receivedAt, feeRequired(application)),
    );
    await this.lifecycle.open(manager, application, { kind: 'portal', id: 'egov.bg' });
    await this.storeAttachments(manager, application.id, submission);
    // Routing is immediate for now: the district's queue is its listing in the district API.
    await this.lifecycle.transition(manager, application, {
      to: 'routed',
      actor: { kind: 'system', id: 'applications' },
      details: { districtCode: application.districtCode },
      at: receivedAt,
    });
    this.logger.info(
      { applicationId: application.id, districtCode: application.districtCode, serviceNumber: service.serviceNumber },
      'application received and routed',
    );
    return 'created';
  }

  /** The applicant corrected a returned application: new form data and files, back to the district. */
  private async resubmit(
    manager: EntityManager,
    application: ApplicationEntity,
    submission: ApplicationSubmitted,
  ): Promise<SubmissionOutcome> {
    const offering = await this.offerings.offering(manager, submission.districtCode, submission.serviceNumber);
    const { reasons } = checkSubmission(submission, offering);
    const sameCase =
      submission.districtCode === application.districtCode && submission.serviceNumber === application.serviceNumber;
    if (reasons.length > 0 || !sameCase) {
      await this.reject(manager, submission.portalApplicationId, [
        ...reasons,
        ...(sameCase
          ? []
          : [{ code: 'resubmission_changes_case', message: 'a correction keeps the district and the service' }]),
      ]);
      return 'rejected';
    }
    await manager.delete(AttachmentEntity, { applicationId: application.id });
    await this.storeAttachments(manager, application.id, submission);
    await this.lifecycle.transition(manager, application, {
      to: 'routed',
      actor: { kind: 'portal', id: 'egov.bg' },
      changes: { formData: submission.formData },
      details: { resubmitted: true },
    });
    this.logger.info({ applicationId: application.id }, 'corrected application resubmitted');
    return 'created';
  }

  private async storeAttachments(
    manager: EntityManager,
    applicationId: string,
    submission: ApplicationSubmitted,
  ): Promise<void> {
    if (submission.attachments.length === 0) return;
    await manager.insert(
      AttachmentEntity,
      submission.attachments.map((attachment) => ({
        id: randomUUID(),
        applicationId,
        portalAttachmentId: attachment.attachmentId,
        fileName: attachment.fileName,
        mediaType: attachment.mediaType,
        size: attachment.size,
        sha256: attachment.sha256,
        content: Buffer.from(attachment.contentBase64, 'base64'),
        signatures: attachment.signatures ?? null,
      })),
    );
  }

  async reject(manager: EntityManager, portalApplicationId: string, reasons: RejectionReason[]): Promise<void> {
    const rejection: SubmissionRejected = {
      portalApplicationId,
      reasons: reasons.slice(0, 50),
      rejectedAt: new Date().toISOString(),
    };
    await this.outbox.enqueue(manager, {
      topic: Topics.portalApplicationStatus,
      key: portalApplicationId,
      type: MessageTypes.submissionRejected,
      payload: rejection,
    });
    this.logger.info({ portalApplicationId, reasons: reasons.map((r) => r.code) }, 'submission rejected');
  }
}
