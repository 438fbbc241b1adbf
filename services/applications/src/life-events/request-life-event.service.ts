import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { findDistrict } from '@umg/catalogue';
import type { LifeEventRequested } from '@umg/contracts';
import type { Logger } from '@umg/logging';
import { InjectLogger } from '../inject-logger';
import { ReceiveSubmissionService, type Received } from '../intake/receive-submission.service';
import { ServiceOfferings } from '../intake/service-offerings';
import { checkSubmission, type RejectionReason } from '../intake/submission-checks';
import { BundleSaga } from './bundle-saga';
import { partSubmission, planBundle } from './bundle-plan';

/** What became of a life-event request, and its bundle (none when it was refused). */
export interface RequestedBundle {
  outcome: Received['outcome'];
  bundleId: string | null;
}

/**
 * One request in, several applications out: a life-event request is checked whole (every part it
 * would file, in the district competent for it, as intake checks a single application), then its
 * bundle, its parts and the applications of the parts that wait for nothing are written in the
 * caller's transaction, with their messages in the outbox. A repeated request id files nothing again.
 */
@Injectable()
export class RequestLifeEventService {
  constructor(
    private readonly receiveSubmission: ReceiveSubmissionService,
    private readonly offerings: ServiceOfferings,
    private readonly saga: BundleSaga,
    @InjectLogger() private readonly logger: Logger,
  ) {}

  async request(manager: EntityManager, request: LifeEventRequested): Promise<RequestedBundle> {
    const [existing] = (await manager.query(`SELECT id FROM applications.bundle WHERE request_id = $1 FOR UPDATE`, [
      request.requestId,
    ])) as { id: string }[];
    if (existing) {
      this.logger.info({ bundleId: existing.id }, 'repeated life-event request ignored');
      return { outcome: 'duplicate', bundleId: existing.id };
    }
    const { parts, reasons } = planBundle(request);
    for (const planned of parts) {
      const offering = await this.offerings.offering(manager, planned.districtCode, planned.part.serviceNumber);
      if (offering.kind === 'unknown' && findDistrict(planned.districtCode)) {
        // As intake does right after a fresh start: retried, not wrongly rejected.
        throw new Error(`the offerings of district ${planned.districtCode} are not known yet`);
      }
      const submission = partSubmission(request, {
        partKey: planned.part.key,
        serviceNumber: planned.part.serviceNumber,
        districtCode: planned.districtCode,
      });
      reasons.push(
        ...checkSubmission(submission, offering).reasons.map((reason): RejectionReason => ({
          ...reason,
          field: `parts.${planned.part.key}${reason.field ? `.${reason.field}` : ''}`,
        })),
      );
    }
    if (reasons.length > 0) {
      await this.receiveSubmission.reject(manager, request.requestId, reasons);
      return { outcome: 'rejected', bundleId: null };
    }
    const bundleId = randomUUID();
    const now = new Date();
    await manager.query(
      `INSERT INTO applications.bundle (id, request_id, life_event, status, request, created_at, updated_at)
       VALUES ($1, $2, $3, 'open', $4::jsonb, $5, $5)`,
      [bundleId, request.requestId, request.lifeEvent, JSON.stringify(request), now],
    );
    await manager.query(
      `INSERT INTO applications.bundle_part
         (bundle_id, part_key, position, service_number, district_code, depends_on, state, updated_at)
       SELECT $1, part.key, part.position, part.service_number, part.district_code, part.depends_on, 'waiting', $3
         FROM jsonb_to_recordset($2::jsonb)
           AS part (key text, position integer, service_number integer, district_code text, depends_on text[])`,
      [
        bundleId,
        JSON.stringify(
          parts.map((planned) => ({
            key: planned.part.key,
            position: planned.position,
            service_number: planned.part.serviceNumber,
            district_code: planned.districtCode,
            depends_on: planned.part.dependsOn,
          })),
        ),
        now,
      ],
    );
    // The parts that wait for nothing are filed now, in this transaction.
    await this.saga.advance(manager, bundleId);
    this.logger.info({ bundleId, lifeEvent: request.lifeEvent, parts: parts.length }, 'life-event bundle filed');
    return { outcome: 'created', bundleId };
  }
}
