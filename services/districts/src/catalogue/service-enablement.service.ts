import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { findCatalogueService } from '@umg/catalogue';
import type { Logger } from '@umg/logging';
import { InjectLogger } from '../inject-logger';
import { PublishOfferingsService } from '../offerings/publish-offerings.service';
import { DistrictError, DistrictErrorCode } from '../registry/district-error';
import { DistrictRepository } from '../registry/district.repository';

/** Enables or disables one catalogue service in one district — never anywhere else — and publishes the change. */
@Injectable()
export class ServiceEnablementService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly districts: DistrictRepository,
    private readonly offerings: PublishOfferingsService,
    @InjectLogger() private readonly logger: Logger,
  ) {}

  async set(code: string, serviceNumber: number, enabled: boolean, actor: string, reason: string): Promise<void> {
    if (!findCatalogueService(serviceNumber)) {
      throw new DistrictError(DistrictErrorCode.ServiceNotFound, `no service ${serviceNumber} in the catalogue`);
    }
    await this.dataSource.transaction(async (manager) => {
      await this.districts.get(manager, code, { lock: true });
      const changed = enabled
        ? (
            (await manager.query(
              `INSERT INTO districts.service_enablement (district_code, service_number) VALUES ($1, $2)
             ON CONFLICT DO NOTHING RETURNING service_number`,
              [code, serviceNumber],
            )) as unknown[]
          ).length
        : // TypeORM answers a DELETE with [rows, affected].
          (
            (await manager.query(
              `DELETE FROM districts.service_enablement WHERE district_code = $1 AND service_number = $2`,
              [code, serviceNumber],
            )) as [unknown[], number]
          )[1];
      if (changed === 0) return;
      await this.districts.audit(manager, {
        districtCode: code,
        change: 'service_enablement',
        before: { serviceNumber, enabled: !enabled },
        after: { serviceNumber, enabled },
        actor,
        reason,
      });
      await this.offerings.publishIfChanged(manager, code);
    });
    this.logger.info({ districtCode: code, serviceNumber, enabled, actor }, 'service enablement set');
  }

  async list(code: string): Promise<number[]> {
    await this.districts.get(this.dataSource.manager, code);
    return this.districts.enabledServices(this.dataSource.manager, code);
  }
}
