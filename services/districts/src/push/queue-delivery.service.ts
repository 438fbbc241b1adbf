import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { ApplicationEvent } from '@umg/contracts';
import type { Logger } from '@umg/logging';
import { InjectLogger } from '../inject-logger';
import { DistrictRepository } from '../registry/district.repository';
import { type DeliveryKind, pushedApplication } from './pushed-application';

/**
 * Puts an application event into its district's outgoing queue when the district's back office
 * is pushed to (push_json, push_soap). A routed application is a new application for the back
 * office; later changes made by others (payment, withdrawal, delivery) are status changes. The
 * district's own actions are not echoed back to it. A repeated event is queued once.
 */
@Injectable()
export class QueueDeliveryService {
  constructor(
    private readonly districts: DistrictRepository,
    @InjectLogger() private readonly logger: Logger,
  ) {}

  async queue(manager: EntityManager, event: ApplicationEvent): Promise<void> {
    if (event.status === 'received' || event.actor.kind === 'district') return;
    const district = await this.districts.find(manager, event.districtCode);
    if (!district || district.profile.adapterStyle === 'pull') return;
    const kind: DeliveryKind = event.status === 'routed' ? 'application' : 'status_change';
    const inserted = (await manager.query(
      `INSERT INTO districts.outgoing_delivery (district_code, application_id, sequence, kind, payload)
       VALUES ($1, $2, $3, $4, $5::jsonb) ON CONFLICT DO NOTHING RETURNING id`,
      [district.code, event.applicationId, event.sequence, kind, JSON.stringify(pushedApplication(event))],
    )) as { id: string }[];
    if (inserted[0]) {
      this.logger.info(
        { deliveryId: inserted[0].id, districtCode: district.code, applicationId: event.applicationId, kind },
        'delivery queued',
      );
    }
  }
}
