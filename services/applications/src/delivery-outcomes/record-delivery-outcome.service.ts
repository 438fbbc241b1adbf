import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { DeliveryStatus, DeliveryStatusChanged } from '@umg/contracts';
import type { Logger } from '@umg/logging';
import { applicationColumns, applicationFromRow, type ApplicationRow } from '../application/application-row';
import type { ApplicationEntity } from '../application/application.entity';
import { isUuid } from '../application/application.repository';
import { OpenFeedbackInvitationService } from '../feedback/open-feedback-invitation.service';
import { InjectLogger } from '../inject-logger';
import { ApplicationLifecycle } from '../lifecycle/application-lifecycle';

/** Final delivery statuses of a result that leave it for the applicant to collect at the desk. */
const deskCollection: readonly DeliveryStatus[] = ['no_profile', 'receipt_timeout', 'send_failure', 'desk_collection'];

/**
 * The application's side of a result's delivery: received in e-delivery → `delivered`; no
 * profile, no receipt in time, or e-delivery gave up → `awaiting_collection` (the portal hears of
 * it through the status update, the district through its API); a document e-delivery refused →
 * `result_blocked` with the reason, until the district (or an operator) uploads a replacement.
 * Notices other than the result, and in-flight statuses, change nothing.
 */
@Injectable()
export class RecordDeliveryOutcomeService {
  constructor(
    private readonly lifecycle: ApplicationLifecycle,
    private readonly feedbackInvitations: OpenFeedbackInvitationService,
    @InjectLogger() private readonly logger: Logger,
  ) {}

  async record(manager: EntityManager, change: DeliveryStatusChanged): Promise<void> {
    if (change.noticeKind !== 'result') return;
    const to =
      change.status === 'delivered'
        ? 'delivered'
        : change.status === 'blocked_document'
          ? 'result_blocked'
          : deskCollection.includes(change.status)
            ? 'awaiting_collection'
            : null;
    if (!to) return;
    const subject = await deliveryOutcomeSubject(manager, change.applicationId, change.deliveryId);
    // Only a result still waiting for its delivery moves; a repeated or late outcome is ignored.
    if (!subject || subject.application.status !== 'result_ready') {
      this.logger.info(
        { applicationId: change.applicationId, deliveryStatus: change.status, status: subject?.application.status },
        'delivery outcome for an application not waiting for it; ignored',
      );
      return;
    }
    if (subject.deliveryBlockedBefore) {
      // A late outcome of a delivery whose document was refused and since replaced.
      this.logger.info(
        { applicationId: change.applicationId, deliveryId: change.deliveryId, deliveryStatus: change.status },
        'outcome of a superseded result delivery; ignored',
      );
      return;
    }
    const next = await this.lifecycle.transition(manager, subject.application, {
      to,
      actor: { kind: 'system', id: 'delivery' },
      reasons: change.reason ? [change.reason] : undefined,
      details: {
        deliveryId: change.deliveryId,
        deliveryStatus: change.status,
        eDeliveryMessageId: change.eDeliveryMessageId,
        nroAt: change.nroAt,
        nrdAt: change.nrdAt,
      },
    });
    // The result notice carried the feedback link; its invitation opens with the delivery.
    if (to === 'delivered') await this.feedbackInvitations.open(manager, next, next.updatedAt);
  }
}

/**
 * The application, locked, and whether this delivery's document was refused before (its result
 * since replaced): one statement; undefined when there is no such application.
 */
async function deliveryOutcomeSubject(
  manager: EntityManager,
  applicationId: string,
  deliveryId: string,
): Promise<{ application: ApplicationEntity; deliveryBlockedBefore: boolean } | undefined> {
  if (!isUuid(applicationId)) return undefined;
  const [row] = (await manager.query(
    `SELECT ${applicationColumns}, EXISTS (
         SELECT 1 FROM applications.application_event e
          WHERE e.application_id = a.id AND e.to_status = 'result_blocked' AND e.details ->> 'deliveryId' = $2
       ) AS delivery_blocked_before
       FROM applications.application a WHERE a.id = $1 FOR UPDATE`,
    [applicationId, deliveryId],
  )) as (ApplicationRow & { delivery_blocked_before: boolean })[];
  return row && { application: applicationFromRow(row), deliveryBlockedBefore: row.delivery_blocked_before };
}
