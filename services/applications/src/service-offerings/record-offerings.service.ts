import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { DistrictServiceOfferings } from '@umg/contracts';
import type { Logger } from '@umg/logging';
import { InjectLogger } from '../inject-logger';

/** Keeps the latest offerings snapshot per district; an older or repeated version changes nothing. */
@Injectable()
export class RecordOfferingsService {
  constructor(@InjectLogger() private readonly logger: Logger) {}

  async record(manager: EntityManager, snapshot: DistrictServiceOfferings): Promise<void> {
    const stored = (await manager.query(
      `INSERT INTO applications.district_offering (district_code, phase, adapter_style, services, version, changed_at)
       VALUES ($1, $2, $3, $4::jsonb, $5, $6)
       ON CONFLICT (district_code) DO UPDATE
         SET phase = EXCLUDED.phase, adapter_style = EXCLUDED.adapter_style, services = EXCLUDED.services,
             version = EXCLUDED.version, changed_at = EXCLUDED.changed_at, recorded_at = now()
         WHERE applications.district_offering.version < EXCLUDED.version
       RETURNING district_code`,
      [
        snapshot.districtCode,
        snapshot.phase,
        snapshot.adapterStyle,
        JSON.stringify(snapshot.services),
        snapshot.version,
        snapshot.changedAt,
      ],
    )) as unknown[];
    this.logger.info(
      {
        districtCode: snapshot.districtCode,
        version: snapshot.version,
        phase: snapshot.phase,
        applied: stored.length > 0,
      },
      'district offerings received',
    );
  }
}
