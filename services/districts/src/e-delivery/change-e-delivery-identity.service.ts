import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Logger } from '@umg/logging';
import { InjectLogger } from '../inject-logger';
import type { DistrictRecord, EDeliveryIdentity } from '../district/district-record';
import { DistrictRepository } from '../district/district.repository';

/**
 * Sets how the district is known to e-delivery (ССЕВ): its unit, its certificate's thumbprint and
 * the name of the mounted secret with its key. Audited; the delivery service reads it from the registry.
 */
@Injectable()
export class ChangeEDeliveryIdentityService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly districts: DistrictRepository,
    @InjectLogger() private readonly logger: Logger,
  ) {}

  async change(code: string, identity: EDeliveryIdentity, actor: string, reason: string): Promise<DistrictRecord> {
    const district = await this.dataSource.transaction(async (manager) => {
      const before = await this.districts.get(manager, code, { lock: true });
      await manager.query(`UPDATE districts.district SET e_delivery = $2::jsonb, updated_at = now() WHERE code = $1`, [
        code,
        JSON.stringify(identity),
      ]);
      await this.districts.audit(manager, {
        districtCode: code,
        change: 'e_delivery',
        before: before.eDelivery,
        after: identity,
        actor,
        reason,
      });
      return this.districts.get(manager, code);
    });
    this.logger.info({ districtCode: code, actor, unit: identity.unitIdentifier }, 'e-delivery identity changed');
    return district;
  }
}
