import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { ApplicationDueSoon, ApplicationEvent, ApplicationOverdue } from '@umg/contracts';
import type { Logger } from '@umg/logging';
import { InjectLogger } from '../inject-logger';
import { pushQueueChannel } from './push-worker';
import { DistrictRepository } from '../district/district.repository';
import {
  changeOf,
  deadlineAlertSequence,
  type PushKind,
  pushedApplication,
  pushedDeadlineAlert,
} from './pushed-application';

/**
 * Puts an application event into its district's outgoing queue when the district's back office
 * is pushed to (push_json, push_soap). A routed application is a new application for the back
 * office; later changes made by others (payment, withdrawal, e-delivery of the result) are status changes. The
 * district's own actions are not echoed back to it. A repeated event is queued once. Deadline
 * alerts (due soon, overdue) are queued behind them, in the same order per district. A pull
 * district with a webhook (its profile's endpoint) gets every event as its changes feed's entry.
 */
@Injectable()
export class QueuePushService {
  constructor(
    private readonly districts: DistrictRepository,
    @InjectLogger() private readonly logger: Logger,
  ) {}

  async queue(manager: EntityManager, event: ApplicationEvent): Promise<void> {
    const district = await this.districts.find(manager, event.districtCode);
    if (!district) return;
    if (district.profile.adapterStyle === 'pull') {
      if (!district.profile.endpoint) return;
      await this.insert(manager, district.code, event.applicationId, event.sequence, 'change', changeOf(event));
      return;
    }
    if (event.status === 'received' || event.actor.kind === 'district') return;
    const kind: PushKind = event.status === 'routed' ? 'application' : 'status_change';
    await this.insert(manager, district.code, event.applicationId, event.sequence, kind, pushedApplication(event));
  }

  /** A due-soon or overdue alert for a push district's back office, once per application and threshold. */
  async queueDeadlineAlert(
    manager: EntityManager,
    alert: ApplicationOverdue | ApplicationDueSoon,
    state: 'due_soon' | 'overdue',
  ): Promise<void> {
    const district = await this.districts.find(manager, alert.districtCode);
    if (!district || district.profile.adapterStyle === 'pull') return;
    await this.insert(
      manager,
      district.code,
      alert.applicationId,
      deadlineAlertSequence[state],
      'deadline_alert',
      pushedDeadlineAlert(alert, state),
    );
  }

  private async insert(
    manager: EntityManager,
    districtCode: string,
    applicationId: string,
    sequence: number,
    kind: PushKind,
    payload: object,
  ): Promise<void> {
    const inserted = (await manager.query(
      // The push worker LISTENs: a queued push wakes it when this transaction commits (one round trip, no trigger).
      `INSERT INTO districts.outgoing_push (district_code, application_id, sequence, kind, payload)
       VALUES ($1, $2, $3, $4, $5::jsonb) ON CONFLICT DO NOTHING RETURNING id, pg_notify('${pushQueueChannel}', '')`,
      [districtCode, applicationId, sequence, kind, JSON.stringify(payload)],
    )) as { id: string }[];
    if (inserted[0]) {
      this.logger.info({ pushId: inserted[0].id, districtCode, applicationId, kind }, 'push queued');
    }
  }
}
