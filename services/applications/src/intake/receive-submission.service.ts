import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { findDistrict } from '@umg/catalogue';
import type { ApplicationSubmitted, SubmissionRejected } from '@umg/contracts';
import type { Logger } from '@umg/logging';
import { Outbox, Topics } from '@umg/messaging';
import { InjectLogger } from '../inject-logger';
import type { DistrictPhase, OfferedService } from '@umg/contracts';
import { ApplicationEntity } from '../application/application.entity';
import { ApplicationLifecycle } from '../lifecycle/application-lifecycle';
import { DeadlineClock } from '../deadlines/deadline-clock';
import { feeRequired } from '../lifecycle/fee-policy';
import { MessageTypes } from '../lifecycle/message-types';
import { checkSubmission, type RejectionReason } from './submission-checks';
import { type Offering, offeringOf } from './service-offerings';

export type SubmissionOutcome = 'created' | 'duplicate' | 'rejected';

/** What became of a submission, and the application it concerns (none when it was refused before there was one). */
export interface Received {
  outcome: SubmissionOutcome;
  applicationId: string | null;
}

/**
 * Portal intake: a valid submission becomes an application, received and routed to its district;
 * an invalid one is answered to the portal with its reasons; a repeated one changes nothing.
 */
@Injectable()
export class ReceiveSubmissionService {
  constructor(
    private readonly lifecycle: ApplicationLifecycle,
    private readonly deadlines: DeadlineClock,
    private readonly outbox: Outbox,
    @InjectLogger() private readonly logger: Logger,
  ) {}

  async receive(manager: EntityManager, submission: ApplicationSubmitted): Promise<Received> {
    // One round trip: the application of this portal id if there is one (locked, so a redelivery
    // elsewhere waits for this one) and the district's offerings.
    const [found] = (await manager.query(
      `SELECT (SELECT json_build_object('id', id, 'status', status) FROM applications.application
                WHERE portal_application_id = $1 FOR UPDATE) AS existing,
              offering.phase, offering.services
         FROM (SELECT 1) AS one
         LEFT JOIN applications.district_offering AS offering ON offering.district_code = $2`,
      [submission.portalApplicationId, submission.districtCode],
    )) as {
      existing: { id: string; status: string } | null;
      phase: DistrictPhase | null;
      services: OfferedService[];
    }[];
    const existing = found!.existing;
    const offering = offeringOf(
      found!.phase === null ? null : { phase: found!.phase, services: found!.services },
      submission.serviceNumber,
    );
    if (existing && submission.resubmissionOf === existing.id && existing.status === 'returned_for_corrections') {
      const application = await manager.findOneByOrFail(ApplicationEntity, { id: existing.id });
      return { outcome: await this.resubmit(manager, application, submission, offering), applicationId: existing.id };
    }
    if (existing) {
      this.logger.info({ applicationId: existing.id }, 'repeated submission ignored');
      return { outcome: 'duplicate', applicationId: existing.id };
    }
    if (submission.resubmissionOf) {
      await this.reject(manager, submission.portalApplicationId, [
        {
          code: 'resubmission_not_expected',
          field: 'resubmissionOf',
          message: 'no application of this portal id is waiting for corrections under that id',
        },
      ]);
      return { outcome: 'rejected', applicationId: null };
    }
    if (offering.kind === 'unknown' && findDistrict(submission.districtCode)) {
      // Only right after a fresh start, before the districts' offerings arrive: retried, and
      // dead-lettered (replayable) rather than wrongly rejected if they never come.
      throw new Error(`the offerings of district ${submission.districtCode} are not known yet`);
    }
    const { reasons, service, contents } = checkSubmission(submission, offering);
    if (reasons.length > 0 || !service) {
      await this.reject(manager, submission.portalApplicationId, reasons);
      return { outcome: 'rejected', applicationId: null };
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
    await this.storeAttachments(manager, application.id, submission, contents);
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
    return { outcome: 'created', applicationId: application.id };
  }

  /** The applicant corrected a returned application: new form data and files, back to the district. */
  private async resubmit(
    manager: EntityManager,
    application: ApplicationEntity,
    submission: ApplicationSubmitted,
    offering: Offering,
  ): Promise<SubmissionOutcome> {
    const { reasons, contents } = checkSubmission(submission, offering);
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
    await manager.query(`DELETE FROM applications.attachment WHERE application_id = $1`, [application.id]);
    await this.storeAttachments(manager, application.id, submission, contents);
    await this.lifecycle.transition(manager, application, {
      to: 'routed',
      actor: { kind: 'portal', id: 'egov.bg' },
      changes: { formData: submission.formData },
      details: { resubmitted: true },
    });
    this.logger.info({ applicationId: application.id }, 'corrected application resubmitted');
    return 'created';
  }

  /** The files, as checked (decoded once, by the checks), in one statement. */
  private async storeAttachments(
    manager: EntityManager,
    applicationId: string,
    submission: ApplicationSubmitted,
    contents: Buffer[],
  ): Promise<void> {
    if (submission.attachments.length === 0) return;
    const values: unknown[] = [];
    const rows = submission.attachments.map((attachment, index) => {
      const base = values.length;
      values.push(
        randomUUID(),
        applicationId,
        attachment.attachmentId,
        attachment.fileName,
        attachment.mediaType,
        attachment.size,
        attachment.sha256,
        contents[index],
        attachment.signatures ? JSON.stringify(attachment.signatures) : null,
      );
      return `(${Array.from({ length: 9 }, (_, i) => `$${base + i + 1}`).join(', ')}::jsonb)`;
    });
    await manager.query(
      `INSERT INTO applications.attachment
         (id, application_id, portal_attachment_id, file_name, media_type, size, sha256, content, signatures)
       VALUES ${rows.join(', ')}`,
      values,
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
