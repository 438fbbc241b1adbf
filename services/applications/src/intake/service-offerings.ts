import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { districts } from '@umg/catalogue';
import type { DistrictPhase, OfferedService } from '@umg/contracts';
import type { HealthStatus } from '@umg/platform';

/** What a district offers for one service, from the districts service's latest published snapshot. */
export type Offering =
  | { kind: 'offered'; urgencies: OfferedService['urgencies'] }
  | { kind: 'not_enabled' }
  | { kind: 'district_not_accepting'; phase: DistrictPhase }
  /** No snapshot of the district has arrived yet (right after a fresh start). */
  | { kind: 'unknown' };

/** A district's row of `applications.district_offering` (phase and services), when it has one. */
export interface OfferingRow {
  phase: DistrictPhase;
  services: OfferedService[];
}

/** What the district's latest snapshot says of one service. */
export function offeringOf(row: OfferingRow | null | undefined, serviceNumber: number): Offering {
  if (!row) return { kind: 'unknown' };
  const service = row.services.find((candidate) => candidate.serviceNumber === serviceNumber);
  if (!service) return { kind: 'not_enabled' };
  if (row.phase !== 'pilot' && row.phase !== 'live') return { kind: 'district_not_accepting', phase: row.phase };
  return { kind: 'offered', urgencies: service.urgencies };
}

/**
 * Which services each district offers electronically, as the districts service publishes them on
 * `districts.service-offerings`: a district accepts an application only for a service enabled
 * there and only while it is in pilot or live.
 */
@Injectable()
export class ServiceOfferings {
  constructor(private readonly dataSource: DataSource) {}

  async offering(manager: EntityManager, districtCode: string, serviceNumber: number): Promise<Offering> {
    const [row] = (await manager.query(
      `SELECT phase, services FROM applications.district_offering WHERE district_code = $1`,
      [districtCode],
    )) as OfferingRow[];
    return offeringOf(row, serviceNumber);
  }

  /** Readiness: intake can judge submissions only once every district's offerings have arrived. */
  async check(): Promise<HealthStatus> {
    const [row] = (await this.dataSource.query(`SELECT count(*) AS known FROM applications.district_offering`)) as {
      known: string;
    }[];
    const known = Number(row?.known ?? 0);
    return known >= districts.length
      ? { status: 'up', detail: `${known} districts` }
      : { status: 'down', detail: `offerings of ${known} of ${districts.length} districts received` };
  }
}
