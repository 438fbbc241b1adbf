import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Logger } from '@umg/logging';
import { InjectLogger } from '../inject-logger';
import { DistrictError, DistrictErrorCode } from '../district/district-error';
import { DistrictRepository } from '../district/district.repository';

/** Puts a parked delivery back at its place in the district's queue, with fresh attempts; audited. */
@Injectable()
export class ReplayDeliveryService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly districts: DistrictRepository,
    @InjectLogger() private readonly logger: Logger,
  ) {}

  async replay(deliveryId: number, actor: string, reason: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const [delivery] = (await manager.query(
        `SELECT id, district_code, application_id, state FROM districts.outgoing_delivery WHERE id = $1 FOR UPDATE`,
        [deliveryId],
      )) as { id: string; district_code: string; application_id: string; state: string }[];
      if (!delivery) throw new DistrictError(DistrictErrorCode.DeliveryNotFound, `no delivery ${deliveryId}`);
      if (delivery.state !== 'parked') {
        throw new DistrictError(DistrictErrorCode.DeliveryNotParked, `delivery ${deliveryId} is ${delivery.state}`);
      }
      await manager.query(
        `UPDATE districts.outgoing_delivery SET state = 'pending', attempts = 0, next_attempt_at = now(), lease_until = NULL,
           replay_count = replay_count + 1, replayed_at = now(), replayed_by = $2
         WHERE id = $1`,
        [deliveryId, actor],
      );
      await this.districts.audit(manager, {
        districtCode: delivery.district_code,
        change: 'delivery_replay',
        before: { deliveryId, state: 'parked' },
        after: { deliveryId, state: 'pending' },
        actor,
        reason,
      });
    });
    this.logger.info({ deliveryId, actor }, 'parked delivery replayed');
  }
}
