import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { Gauge } from 'prom-client';
import { DataSource } from 'typeorm';
import { districts } from '@umg/catalogue';
import { PlatformMetrics } from '@umg/platform';
import { PushWorker } from '../push/push-worker';

/**
 * Per-district adapter health on each scrape: whether the district's circuit is open, its
 * outgoing queue (pending and parked pushes), and when a push last succeeded. Every district is reported, so a dashboard sees
 * zeros rather than gaps.
 */
@Injectable()
export class AdapterHealthMetrics implements OnModuleInit {
  constructor(
    @Inject(PlatformMetrics) private readonly metrics: PlatformMetrics,
    private readonly dataSource: DataSource,
    private readonly worker: PushWorker,
  ) {}

  onModuleInit(): void {
    const registers = [this.metrics.registry];
    const circuitOpen = new Gauge({
      name: 'umg_district_circuit_open',
      help: "1 while the district's back-office circuit is open or half-open, else 0.",
      labelNames: ['district'],
      registers,
    });
    const backlog = new Gauge({
      name: 'umg_district_push_backlog',
      help: 'Outgoing pushes to the district back office, by state (pending, parked).',
      labelNames: ['district', 'state'],
      registers,
    });
    const lastAnswered = new Gauge({
      name: 'umg_district_last_push_timestamp_seconds',
      help: 'When the district back office last accepted a push (Unix time; 0 when never).',
      labelNames: ['district'],
      registers,
    });
    this.metrics.onScrape(async () => {
      const rows = await this.dataSource.query<{ district_code: string; at: number }[]>(
        `SELECT district_code, extract(epoch FROM max(answered_at))::float8 AS at FROM districts.outgoing_push
          WHERE state = 'answered' GROUP BY 1`,
      );
      for (const district of districts) {
        lastAnswered.set({ district: district.code }, rows.find((r) => r.district_code === district.code)?.at ?? 0);
      }
    });
    this.metrics.onScrape(async () => {
      const rows = await this.dataSource.query<{ district_code: string; state: string; count: string }[]>(
        `SELECT district_code, state, count(*) AS count FROM districts.outgoing_push
          WHERE state IN ('pending', 'parked') GROUP BY 1, 2`,
      );
      for (const district of districts) {
        circuitOpen.set({ district: district.code }, this.worker.circuits.state(district.code) === 'closed' ? 0 : 1);
        for (const state of ['pending', 'parked']) {
          const row = rows.find((r) => r.district_code === district.code && r.state === state);
          backlog.set({ district: district.code, state }, Number(row?.count ?? 0));
        }
      }
    });
  }
}
