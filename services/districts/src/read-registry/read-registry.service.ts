import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { type AuditEntryView, type DistrictView, toDistrictView } from '../district/district.mapper';
import { DistrictRepository } from '../district/district.repository';

interface AuditRow {
  id: string;
  district_code: string;
  change: AuditEntryView['change'];
  before: unknown;
  after: unknown;
  actor: string;
  reason: string;
  at: Date;
}

/** The registry as operators and the other services read it: districts and each one's audit trail. */
@Injectable()
export class ReadRegistryService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly districts: DistrictRepository,
  ) {}

  async list(): Promise<DistrictView[]> {
    return (await this.districts.list(this.dataSource.manager)).map(toDistrictView);
  }

  async get(code: string): Promise<DistrictView> {
    return toDistrictView(await this.districts.get(this.dataSource.manager, code));
  }

  /** The latest 500 changes, newest first; an unknown district is refused. */
  async audit(code: string): Promise<AuditEntryView[]> {
    await this.districts.get(this.dataSource.manager, code);
    const rows = (await this.dataSource.query(
      `SELECT * FROM districts.registry_audit WHERE district_code = $1 ORDER BY id DESC LIMIT 500`,
      [code],
    )) as AuditRow[];
    return rows.map((row) => ({
      id: Number(row.id),
      districtCode: row.district_code,
      change: row.change,
      before: row.before,
      after: row.after,
      actor: row.actor,
      reason: row.reason,
      at: row.at.toISOString(),
    }));
  }
}
