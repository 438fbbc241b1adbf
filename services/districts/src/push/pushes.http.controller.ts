import { CallableBy } from '@umg/platform';
import { Controller, Get, HttpCode, Param, ParseIntPipe, Post } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { DistrictsInternal } from '@umg/contracts';
import { ContractBody, ContractQuery } from '@umg/platform';
import { DistrictRepository } from '../district/district.repository';
import { Operator } from '../operator-request';
import { PushWorker } from './push-worker';
import { ReplayPushService } from './replay-push.service';

type PushView = DistrictsInternal.components['schemas']['Push'];
type AdapterHealthView = DistrictsInternal.components['schemas']['AdapterHealth'];

export interface PushRow {
  id: string;
  district_code: string;
  application_id: string;
  sequence: number;
  kind: PushView['kind'];
  state: PushView['state'];
  attempts: number;
  last_error: string | null;
  created_at: Date;
  answered_at: Date | null;
  back_office_reference: string | null;
}

const pushColumns = `id, district_code, application_id, sequence, kind, state, attempts, last_error, created_at, answered_at, back_office_reference`;

export function toPushView(row: PushRow): PushView {
  return {
    id: Number(row.id),
    districtCode: row.district_code,
    applicationId: row.application_id,
    sequence: row.sequence,
    kind: row.kind,
    state: row.state,
    attempts: row.attempts,
    lastError: row.last_error,
    createdAt: row.created_at.toISOString(),
    answeredAt: row.answered_at ? row.answered_at.toISOString() : null,
    backOfficeReference: row.back_office_reference,
  };
}

/** listPushes, getAdapterHealth, replayPush. */
@Controller('internal/v1')
@CallableBy('gateway')
export class PushesHttpController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly districts: DistrictRepository,
    private readonly worker: PushWorker,
    private readonly replayPush: ReplayPushService,
  ) {}

  @Get('districts/:districtCode/pushes')
  async list(
    @Param('districtCode') code: string,
    @ContractQuery('districts-internal.listPushes') query: { status?: PushView['state'] },
  ): Promise<PushView[]> {
    await this.districts.get(this.dataSource.manager, code);
    const state = query.status;
    const rows = (await this.dataSource.query(
      `SELECT ${pushColumns} FROM districts.outgoing_push
       WHERE district_code = $1 AND ($2::text IS NULL OR state = $2) ORDER BY id DESC LIMIT 200`,
      [code, state ?? null],
    )) as PushRow[];
    return rows.map(toPushView);
  }

  @Get('districts/:districtCode/adapter-health')
  async health(@Param('districtCode') code: string): Promise<AdapterHealthView> {
    const district = await this.districts.get(this.dataSource.manager, code);
    const [counts] = (await this.dataSource.query(
      `SELECT count(*) FILTER (WHERE state = 'pending') AS backlog, count(*) FILTER (WHERE state = 'parked') AS parked
       FROM districts.outgoing_push WHERE district_code = $1`,
      [code],
    )) as { backlog: string; parked: string }[];
    const [last] = (await this.dataSource.query(
      `SELECT max(attempted_at) FILTER (WHERE outcome = 'answered') AS success, max(attempted_at) FILTER (WHERE outcome <> 'answered') AS failure
       FROM districts.push_attempt WHERE district_code = $1`,
      [code],
    )) as { success: Date | null; failure: Date | null }[];
    return {
      districtCode: code,
      adapterStyle: district.profile.adapterStyle,
      circuit: this.worker.circuits.state(code),
      lastSuccessAt: last?.success ? last.success.toISOString() : null,
      lastFailureAt: last?.failure ? last.failure.toISOString() : null,
      backlog: Number(counts?.backlog ?? 0),
      parked: Number(counts?.parked ?? 0),
    };
  }

  @Post('pushes/:pushId/replay')
  @HttpCode(200)
  async replay(
    @Param('pushId', ParseIntPipe) pushId: number,
    @Operator() actor: string,
    @ContractBody('districts-internal.replayPush') body: DistrictsInternal.components['schemas']['Justification'],
  ): Promise<PushView> {
    await this.replayPush.replay(pushId, actor, body.reason.trim());
    const rows = (await this.dataSource.query(`SELECT ${pushColumns} FROM districts.outgoing_push WHERE id = $1`, [
      pushId,
    ])) as PushRow[];
    return toPushView(rows[0]!);
  }
}
