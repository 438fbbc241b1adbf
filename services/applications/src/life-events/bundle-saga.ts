import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { BundlePart, LifeEventRequested, LifeEventStatusChanged } from '@umg/contracts';
import type { Logger } from '@umg/logging';
import { Outbox, Topics } from '@umg/messaging';
import { InjectLogger } from '../inject-logger';
import { ReceiveSubmissionService } from '../intake/receive-submission.service';
import { MessageTypes } from '../lifecycle/message-types';
import { partSubmission } from './bundle-plan';

export type PartState = BundlePart['state'];
export type BundleStatus = LifeEventStatusChanged['status'];

/** A part's application reached one of these: the part is done, and what waits for it can be filed. */
export const partDoneStatuses: ReadonlySet<string> = new Set([
  'result_ready',
  'result_blocked',
  'delivered',
  'awaiting_collection',
  'handed_over',
]);
/** A part's application ended in one of these without a result: what waits for it is cancelled. */
export const partFailedStatuses: ReadonlySet<string> = new Set(['refused', 'expired_unpaid', 'withdrawn']);

interface PartRow {
  part_key: string;
  service_number: number;
  district_code: string;
  depends_on: string[];
  state: PartState;
  application_id: string | null;
  reason: BundlePart['reason'] | null;
  paid: boolean;
}

interface BundleRow {
  id: string;
  request_id: string;
  life_event: string;
  status: BundleStatus;
  request: LifeEventRequested;
  version: number;
}

/** The bundle's one status from its parts: open while any is waiting or filed, then completed or failed. */
export function bundleStatusOf(states: PartState[]): BundleStatus {
  if (states.some((state) => state === 'waiting' || state === 'filed')) return 'open';
  return states.every((state) => state === 'done') ? 'completed' : 'failed';
}

/**
 * The saga of a life-event bundle, one step per event, each in the transaction of the message that
 * causes it (and so under its inbox row): a done part releases the parts that waited only for it; a
 * failed part cancels, with a reason, every part that waits for it (directly or not). The bundle row
 * is locked first, so two steps of one bundle never interleave; a step finds the part already
 * moved on a redelivery and does nothing. Parts that wait have no application yet, so a cancelled
 * part has no fee asked for and nothing to suspend.
 */
@Injectable()
export class BundleSaga {
  constructor(
    private readonly receiveSubmission: ReceiveSubmissionService,
    private readonly outbox: Outbox,
    @InjectLogger() private readonly logger: Logger,
  ) {}

  /** Files every waiting part whose dependencies are all done, then tells the portal where the bundle stands. */
  async advance(manager: EntityManager, bundleId: string): Promise<void> {
    const bundle = await this.lockBundle(manager, bundleId);
    let parts = await this.parts(manager, bundleId);
    for (const part of parts) {
      if (part.state !== 'waiting') continue;
      const pending = part.depends_on.filter((key) => parts.find((other) => other.part_key === key)?.state !== 'done');
      if (pending.length > 0) continue;
      await this.file(manager, bundle, part);
    }
    parts = await this.parts(manager, bundleId);
    await this.publish(manager, bundle, parts);
  }

  /** One step of the saga for an application's new status; nothing when the application is no bundle's part. */
  async onApplicationStatus(manager: EntityManager, applicationId: string, status: string): Promise<void> {
    const [link] = (await manager.query(
      `SELECT bundle_id, part_key, state FROM applications.bundle_part WHERE application_id = $1`,
      [applicationId],
    )) as { bundle_id: string; part_key: string; state: PartState }[];
    if (!link) return;
    const bundle = await this.lockBundle(manager, link.bundle_id);
    const [current] = (await manager.query(
      `SELECT state FROM applications.bundle_part WHERE bundle_id = $1 AND part_key = $2`,
      [bundle.id, link.part_key],
    )) as { state: PartState }[];
    if (current!.state !== 'filed') return; // a redelivery, or a later status of a part already settled
    if (partDoneStatuses.has(status)) {
      await this.setState(manager, bundle.id, link.part_key, 'done', null);
      this.logger.info({ bundleId: bundle.id, part: link.part_key }, 'bundle part done');
      await this.advance(manager, bundle.id);
    } else if (partFailedStatuses.has(status)) {
      await this.setState(manager, bundle.id, link.part_key, 'failed', {
        code: `part_${status}`,
        message: `the application of ${link.part_key} was ${status.replace('_', ' ')}`,
      });
      await this.cancelDependants(manager, bundle.id, link.part_key);
      this.logger.info({ bundleId: bundle.id, part: link.part_key, status }, 'bundle part failed');
      await this.publish(manager, bundle, await this.parts(manager, bundle.id));
    }
  }

  /** Every waiting part that waits for the failed one, directly or through another cancelled part. */
  private async cancelDependants(manager: EntityManager, bundleId: string, failedKey: string): Promise<void> {
    const parts = await this.parts(manager, bundleId);
    const gone = new Set([failedKey]);
    let more = true;
    while (more) {
      more = false;
      for (const part of parts) {
        if (part.state !== 'waiting' || gone.has(part.part_key)) continue;
        const blocker = part.depends_on.find((key) => gone.has(key));
        if (!blocker) continue;
        gone.add(part.part_key);
        more = true;
        await this.setState(manager, bundleId, part.part_key, 'cancelled', {
          code: 'dependency_failed',
          field: blocker,
          message: `${part.part_key} waited for ${blocker}, which will not be done`,
        });
      }
    }
  }

  /** Files a part's application through intake, as if it had been submitted on its own. */
  private async file(manager: EntityManager, bundle: BundleRow, part: PartRow): Promise<void> {
    const submission = partSubmission(bundle.request, {
      partKey: part.part_key,
      serviceNumber: part.service_number,
      districtCode: part.district_code,
    });
    const received = await this.receiveSubmission.receive(manager, submission);
    if (received.applicationId && received.outcome !== 'rejected') {
      await manager.query(
        `UPDATE applications.bundle_part SET state = 'filed', application_id = $3, updated_at = now()
          WHERE bundle_id = $1 AND part_key = $2`,
        [bundle.id, part.part_key, received.applicationId],
      );
      return;
    }
    // The district stopped offering the service since the request was accepted: the part cannot be filed.
    await this.setState(manager, bundle.id, part.part_key, 'failed', {
      code: 'part_rejected_at_intake',
      message: `${part.part_key} could not be filed in ${part.district_code}`,
    });
    await this.cancelDependants(manager, bundle.id, part.part_key);
  }

  private async setState(
    manager: EntityManager,
    bundleId: string,
    partKey: string,
    state: PartState,
    reason: BundlePart['reason'] | null,
  ): Promise<void> {
    await manager.query(
      `UPDATE applications.bundle_part SET state = $3, reason = $4::jsonb, updated_at = now()
        WHERE bundle_id = $1 AND part_key = $2`,
      [bundleId, partKey, state, reason ? JSON.stringify(reason) : null],
    );
  }

  private async lockBundle(manager: EntityManager, bundleId: string): Promise<BundleRow> {
    const [bundle] = (await manager.query(
      `SELECT id, request_id, life_event, status, request, version FROM applications.bundle WHERE id = $1 FOR UPDATE`,
      [bundleId],
    )) as BundleRow[];
    return bundle!;
  }

  /** The parts in order, each with whether its application was ever paid (a failed paid part is due a refund). */
  private async parts(manager: EntityManager, bundleId: string): Promise<PartRow[]> {
    return (await manager.query(
      `SELECT p.part_key, p.service_number, p.district_code, p.depends_on, p.state, p.application_id, p.reason,
              EXISTS (SELECT 1 FROM applications.application_event e
                       WHERE e.application_id = p.application_id AND e.to_status = 'paid') AS paid
         FROM applications.bundle_part p WHERE p.bundle_id = $1 ORDER BY p.position`,
      [bundleId],
    )) as PartRow[];
  }

  /** The bundle's status and a notice to the portal naming every part's state, when anything changed. */
  private async publish(manager: EntityManager, bundle: BundleRow, parts: PartRow[]): Promise<void> {
    const status = bundleStatusOf(parts.map((part) => part.state));
    const [{ version }] = (await manager.query(
      `UPDATE applications.bundle SET status = $2, version = version + 1, updated_at = now() WHERE id = $1
       RETURNING version`,
      [bundle.id, status],
    )) as [{ version: number }];
    bundle.status = status;
    bundle.version = version;
    const notice: LifeEventStatusChanged = {
      bundleId: bundle.id,
      requestId: bundle.request_id,
      lifeEvent: bundle.life_event,
      status,
      parts: parts.map((part) => bundlePartView(part, parts)),
      version,
      occurredAt: new Date().toISOString(),
    };
    await this.outbox.enqueue(manager, {
      topic: Topics.portalApplicationStatus,
      key: bundle.request_id,
      type: MessageTypes.lifeEventStatusChanged,
      payload: notice,
    });
  }
}

/** A part as the citizen, the district and the operator see it. */
export function bundlePartView(part: PartRow, parts: PartRow[]): BundlePart {
  return {
    key: part.part_key,
    serviceNumber: part.service_number,
    districtCode: part.district_code,
    state: part.state,
    waitsFor: part.depends_on.filter((key) => parts.find((other) => other.part_key === key)?.state !== 'done'),
    applicationId: part.application_id,
    ...(part.reason ? { reason: part.reason } : {}),
    refundDue: part.state === 'failed' && part.paid,
  };
}
