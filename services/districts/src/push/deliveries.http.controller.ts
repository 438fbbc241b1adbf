import { CallableBy } from '@umg/platform';
import { Controller, Get, HttpCode, Param, ParseIntPipe, Post } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { DistrictsInternal } from '@umg/contracts';
import { ContractBody, ContractQuery } from '@umg/platform';
import { DistrictRepository } from '../district/district.repository';
import { Operator } from '../operator-request';
import { DeliveryWorker } from './delivery-worker';
import { ReplayDeliveryService } from './replay-delivery.service';

type DeliveryView = DistrictsInternal.components['schemas']['Delivery'];
type AdapterHealthView = DistrictsInternal.components['schemas']['AdapterHealth'];

export interface DeliveryRow {
  id: string;
  district_code: string;
  application_id: string;
  sequence: number;
  kind: DeliveryView['kind'];
  state: DeliveryView['state'];
  attempts: number;
  last_error: string | null;
  created_at: Date;
  delivered_at: Date | null;
  back_office_reference: string | null;
}

const deliveryColumns = `id, district_code, application_id, sequence, kind, state, attempts, last_error, created_at, delivered_at, back_office_reference`;

export function toDeliveryView(row: DeliveryRow): DeliveryView {
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
    deliveredAt: row.delivered_at ? row.delivered_at.toISOString() : null,
    backOfficeReference: row.back_office_reference,
  };
}

/** listDeliveries, getAdapterHealth, replayDelivery. */
@Controller('internal/v1')
@CallableBy('gateway')
export class DeliveriesHttpController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly districts: DistrictRepository,
    private readonly worker: DeliveryWorker,
    private readonly replayDelivery: ReplayDeliveryService,
  ) {}

  @Get('districts/:districtCode/deliveries')
  async list(
    @Param('districtCode') code: string,
    @ContractQuery('districts-internal.listDeliveries') query: { status?: DeliveryView['state'] },
  ): Promise<DeliveryView[]> {
    await this.districts.get(this.dataSource.manager, code);
    const state = query.status;
    const rows = (await this.dataSource.query(
      `SELECT ${deliveryColumns} FROM districts.outgoing_delivery
       WHERE district_code = $1 AND ($2::text IS NULL OR state = $2) ORDER BY id DESC LIMIT 200`,
      [code, state ?? null],
    )) as DeliveryRow[];
    return rows.map(toDeliveryView);
  }

  @Get('districts/:districtCode/adapter-health')
  async health(@Param('districtCode') code: string): Promise<AdapterHealthView> {
    const district = await this.districts.get(this.dataSource.manager, code);
    const [counts] = (await this.dataSource.query(
      `SELECT count(*) FILTER (WHERE state = 'pending') AS backlog, count(*) FILTER (WHERE state = 'parked') AS parked
       FROM districts.outgoing_delivery WHERE district_code = $1`,
      [code],
    )) as { backlog: string; parked: string }[];
    const [last] = (await this.dataSource.query(
      `SELECT max(attempted_at) FILTER (WHERE outcome = 'delivered') AS success, max(attempted_at) FILTER (WHERE outcome <> 'delivered') AS failure
       FROM districts.delivery_attempt WHERE district_code = $1`,
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

  @Post('deliveries/:deliveryId/replay')
  @HttpCode(200)
  async replay(
    @Param('deliveryId', ParseIntPipe) deliveryId: number,
    @Operator() actor: string,
    @ContractBody('districts-internal.replayDelivery') body: DistrictsInternal.components['schemas']['Justification'],
  ): Promise<DeliveryView> {
    await this.replayDelivery.replay(deliveryId, actor, body.reason.trim());
    const rows = (await this.dataSource.query(
      `SELECT ${deliveryColumns} FROM districts.outgoing_delivery WHERE id = $1`,
      [deliveryId],
    )) as DeliveryRow[];
    return toDeliveryView(rows[0]!);
  }
}
