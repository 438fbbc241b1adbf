import { CallableBy } from '@umg/platform';
import { Controller, Get, Param } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { type AuditEntryView, type DistrictView, toDistrictView } from './district.mapper';
import { DistrictRepository } from './district.repository';

/** listDistricts, getDistrict, listDistrictAudit. */
@Controller('internal/v1/districts')
@CallableBy('gateway')
export class ReadRegistryHttpController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly districts: DistrictRepository,
  ) {}

  /** Delivery reads each district's e-delivery identity from the registry. */
  @Get()
  @CallableBy('gateway', 'delivery')
  async list(): Promise<DistrictView[]> {
    return (await this.districts.list(this.dataSource.manager)).map(toDistrictView);
  }

  @Get(':districtCode')
  @CallableBy('gateway', 'delivery')
  async get(@Param('districtCode') code: string): Promise<DistrictView> {
    return toDistrictView(await this.districts.get(this.dataSource.manager, code));
  }

  @Get(':districtCode/audit')
  async audit(@Param('districtCode') code: string): Promise<AuditEntryView[]> {
    await this.districts.get(this.dataSource.manager, code);
    const rows = (await this.dataSource.query(
      `SELECT * FROM districts.registry_audit WHERE district_code = $1 ORDER BY id DESC LIMIT 500`,
      [code],
    )) as {
      id: string;
      district_code: string;
      change: AuditEntryView['change'];
      before: unknown;
      after: unknown;
      actor: string;
      reason: string;
      at: Date;
    }[];
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
