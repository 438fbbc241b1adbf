import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { Gauge } from 'prom-client';
import { DataSource } from 'typeorm';
import { districts } from '@umg/catalogue';
import { PlatformMetrics } from '@umg/platform';
import { WorkingCalendar } from '../calendar/working-calendar';
import { closedStatuses, deadlineWindow, dueSoonWorkingDays } from './deadline-state';

/**
 * Deadlines per district on each scrape: open applications overdue and at risk, and applications
 * by status (the funnel). Every district is reported, so alerts and dashboards see zeros, not gaps.
 */
@Injectable()
export class DeadlineMetrics implements OnModuleInit {
  constructor(
    @Inject(PlatformMetrics) private readonly metrics: PlatformMetrics,
    private readonly dataSource: DataSource,
    private readonly calendars: WorkingCalendar,
  ) {}

  onModuleInit(): void {
    const registers = [this.metrics.registry];
    const deadlines = new Gauge({
      name: 'umg_applications_deadline',
      help: `Open applications past their due time (overdue) or due within ${dueSoonWorkingDays} working days (at_risk), per district.`,
      labelNames: ['district', 'state'],
      registers,
    });
    const byStatus = new Gauge({
      name: 'umg_applications',
      help: 'Applications per district and status.',
      labelNames: ['district', 'status'],
      registers,
    });
    this.metrics.onScrape(async () => {
      const { now, dueSoonUntil: atRiskUntil } = deadlineWindow(await this.calendars.current());
      const rows = await this.dataSource.query<{ district_code: string; overdue: number; at_risk: number }[]>(
        `SELECT district_code,
                count(*) FILTER (WHERE due_at < $1)::int AS overdue,
                count(*) FILTER (WHERE due_at >= $1 AND due_at <= $2)::int AS at_risk
           FROM applications.application
          WHERE due_at IS NOT NULL AND paused_since IS NULL AND status <> ALL($3::text[])
          GROUP BY 1`,
        [now, atRiskUntil, closedStatuses],
      );
      for (const district of districts) {
        const row = rows.find((r) => r.district_code === district.code);
        deadlines.set({ district: district.code, state: 'overdue' }, row?.overdue ?? 0);
        deadlines.set({ district: district.code, state: 'at_risk' }, row?.at_risk ?? 0);
      }
    });
    this.metrics.onScrape(async () => {
      const rows = await this.dataSource.query<{ district_code: string; status: string; count: number }[]>(
        'SELECT district_code, status, count(*)::int AS count FROM applications.application GROUP BY 1, 2',
      );
      byStatus.reset();
      for (const row of rows) byStatus.set({ district: row.district_code, status: row.status }, row.count);
    });
  }
}
