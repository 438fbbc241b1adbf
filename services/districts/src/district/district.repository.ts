import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { DistrictError, DistrictErrorCode } from './district-error';
import { districtFromRow, type DistrictRecord, type DistrictRow } from './district-record';

export type AuditChange =
  'seeded' | 'phase' | 'profile' | 'service_enablement' | 'push_replay' | 'push_discard' | 'secret' | 'e_delivery';

export interface AuditEntryInput {
  districtCode: string;
  change: AuditChange;
  before: unknown;
  after: unknown;
  actor: string;
  reason: string;
}

/** The contract's DistrictCode form; anything else names no district and is not sent to the database. */
const districtCodeForm = /^[a-z][a-z-]{0,63}$/;

/** Reads and writes the register's tables. */
@Injectable()
export class DistrictRepository {
  async list(manager: EntityManager): Promise<DistrictRecord[]> {
    const rows = (await manager.query(`SELECT * FROM districts.district ORDER BY no`)) as DistrictRow[];
    return rows.map(districtFromRow);
  }

  async find(
    manager: EntityManager,
    code: string,
    options: { lock?: boolean } = {},
  ): Promise<DistrictRecord | undefined> {
    if (!districtCodeForm.test(code)) return undefined;
    const rows = (await manager.query(
      `SELECT * FROM districts.district WHERE code = $1 ${options.lock ? 'FOR UPDATE' : ''}`,
      [code],
    )) as DistrictRow[];
    return rows[0] ? districtFromRow(rows[0]) : undefined;
  }

  async get(manager: EntityManager, code: string, options: { lock?: boolean } = {}): Promise<DistrictRecord> {
    const district = await this.find(manager, code, options);
    if (!district) throw new DistrictError(DistrictErrorCode.DistrictNotFound, `no district "${code}"`);
    return district;
  }

  /** The services the district offers: those in pilot or live. */
  async enabledServices(manager: EntityManager, code: string): Promise<number[]> {
    const rows = (await manager.query(
      `SELECT service_number FROM districts.service_enablement
       WHERE district_code = $1 AND phase IN ('pilot', 'live') ORDER BY service_number`,
      [code],
    )) as { service_number: number }[];
    return rows.map((row) => row.service_number);
  }

  async audit(manager: EntityManager, entry: AuditEntryInput): Promise<void> {
    await manager.query(
      `INSERT INTO districts.registry_audit (district_code, change, before, after, actor, reason)
       VALUES ($1, $2, $3::jsonb, $4::jsonb, $5, $6)`,
      [
        entry.districtCode,
        entry.change,
        JSON.stringify(entry.before ?? null),
        JSON.stringify(entry.after ?? null),
        entry.actor,
        entry.reason,
      ],
    );
  }
}
