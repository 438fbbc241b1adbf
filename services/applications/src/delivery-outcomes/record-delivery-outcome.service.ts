import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { DeliveryStatus, DeliveryStatusChanged } from '@umg/contracts';
import type { Logger } from '@umg/logging';
import { ApplicationRepository } from '../application/application.repository';
import { InjectLogger } from '../inject-logger';
import { ApplicationLifecycle } from '../lifecycle/application-lifecycle';

/** Final delivery statuses of a result that leave it for the applicant to collect at the desk. */
const deskCollection: readonly DeliveryStatus[] = ['no_profile', 'receipt_timeout', 'send_failure', 'desk_collection'];

/**
 * The application's side of a result's delivery: received in e-delivery → `delivered`; no
 * profile, no receipt in time, or e-delivery gave up → `awaiting_collection` (the portal hears of
 * it through the status update, the district through its API). A document e-delivery blocked
 * changes nothing here: the application stays `result_ready` and the district reads why from the
 * delivery service. Notices other than the result, and in-flight statuses, change nothing.
 */
@Injectable()
export class RecordDeliveryOutcomeService {
  constructor(
    private readonly applications: ApplicationRepository,
    private readonly lifecycle: ApplicationLifecycle,
    @InjectLogger() private readonly logger: Logger,
  ) {}

  async record(manager: EntityManager, change: DeliveryStatusChanged): Promise<void> {
    if (change.noticeKind !== 'result') return;
    const to =
      change.status === 'delivered'
        ? 'delivered'
        : deskCollection.includes(change.status)
          ? 'awaiting_collection'
          : null;
    if (!to) return;
    const application = await this.applications.getForSystem(manager, change.applicationId);
    // Only a result still waiting for its delivery moves; a repeated or late outcome is ignored.
    if (!application || application.status !== 'result_ready') {
      this.logger.info(
        { applicationId: change.applicationId, deliveryStatus: change.status, status: application?.status },
        'delivery outcome for an application not waiting for it; ignored',
      );
      return;
    }
    await this.lifecycle.transition(manager, application, {
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
  }
}
