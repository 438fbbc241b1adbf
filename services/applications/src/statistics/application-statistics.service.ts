import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { computeDeadline } from '@umg/calendar';
import { WorkingCalendar } from '../calendar/working-calendar';
import { districts } from '@umg/catalogue';
import { applicationStatuses, type ApplicationsInternal } from '@umg/contracts';

type Schemas = ApplicationsInternal.components['schemas'];
export type ApplicationStatistics = Schemas['ApplicationStatistics'];
type DistrictStatistics = Schemas['DistrictStatistics'];

/** Statuses in which the district owes the applicant nothing more (expired_unpaid is dormant). */
const closedStatuses = ['delivered', 'refused', 'withdrawn', 'awaiting_collection', 'handed_over', 'expired_unpaid'];

/** getApplicationStatistics' query, checked against the contract (which gives the defaults) at the edge. */
export interface StatisticsQuery {
  atRiskWorkingDays: number;
  hours: number;
}

interface DistrictRow {
  district_code: string;
  total: number;
  registered: number;
  asked: number;
  paid: number;
  in_progress: number;
  result_ready: number;
  delivered: number;
  open: number;
  overdue: number;
  at_risk: number;
  sent: number;
  sent_delivered: number;
}

interface HourRow {
  hour: Date;
  received: number;
  closed: number;
  median_seconds: number | null;
  p90_seconds: number | null;
}

/**
 * Counts, rates and durations over the service's own tables, for the operator console and open
 * data. Only aggregates leave: no application, applicant or document.
 */

/** Sandbox applications of conformance runs are not the city's work: every figure leaves them out. */
const realApplications = '(SELECT * FROM applications.application WHERE conformance_run_id IS NULL)';

@Injectable()
export class ApplicationStatisticsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly calendars: WorkingCalendar,
  ) {}

  async statistics(query: StatisticsQuery, now = new Date()): Promise<ApplicationStatistics> {
    const atRiskUntil = computeDeadline(await this.calendars.current(), now, {
      unit: 'working_days',
      amount: query.atRiskWorkingDays,
    });
    const [districtRows, statusRows, deadLetterRows, services, timeline] = await Promise.all([
      this.perDistrict(now, atRiskUntil),
      this.dataSource.query<{ district_code: string; status: string; count: number }[]>(
        `SELECT district_code, status, count(*)::int AS count FROM ${realApplications} AS application GROUP BY 1, 2`,
      ),
      this.deadLettersPerDistrict(),
      this.perService(now),
      this.timeline(now, query.hours),
    ]);
    const rows = new Map(districtRows.map((row) => [row.district_code, row]));
    const deadLetters = new Map(deadLetterRows.map((row) => [row.district_code, row.count]));
    return {
      generatedAt: now.toISOString(),
      atRiskWorkingDays: query.atRiskWorkingDays,
      districts: districts.map((district) =>
        districtStatistics(
          district.code,
          rows.get(district.code),
          statusRows.filter((row) => row.district_code === district.code),
          deadLetters.get(district.code) ?? 0,
        ),
      ),
      services,
      timeline,
    };
  }

  /** Funnel stages from the timelines (ever reached), deadlines and outcomes from the applications. */
  private perDistrict(now: Date, atRiskUntil: Date): Promise<DistrictRow[]> {
    return this.dataSource.query<DistrictRow[]>(
      `WITH reached AS (
         SELECT application_id,
                bool_or(to_status = 'registered') AS registered,
                bool_or(to_status = 'awaiting_payment') AS asked,
                bool_or(to_status = 'paid') AS paid,
                bool_or(to_status = 'in_progress') AS in_progress,
                bool_or(to_status = 'result_ready') AS result_ready,
                bool_or(to_status = 'delivered') AS delivered
         FROM applications.application_event GROUP BY application_id)
       SELECT a.district_code,
              count(*)::int AS total,
              count(*) FILTER (WHERE r.registered)::int AS registered,
              count(*) FILTER (WHERE r.asked)::int AS asked,
              count(*) FILTER (WHERE r.paid)::int AS paid,
              count(*) FILTER (WHERE r.in_progress)::int AS in_progress,
              count(*) FILTER (WHERE r.result_ready)::int AS result_ready,
              count(*) FILTER (WHERE r.delivered)::int AS delivered,
              count(*) FILTER (WHERE a.status <> ALL($3::text[]))::int AS open,
              count(*) FILTER (WHERE a.status <> ALL($3::text[]) AND a.paused_since IS NULL AND a.due_at < $1)::int AS overdue,
              count(*) FILTER (WHERE a.status <> ALL($3::text[]) AND a.paused_since IS NULL AND a.due_at >= $1 AND a.due_at <= $2)::int AS at_risk,
              count(*) FILTER (WHERE a.delivery_channel = 'e_delivery' AND r.result_ready
                                 AND a.status IN ('delivered', 'awaiting_collection', 'handed_over'))::int AS sent,
              count(*) FILTER (WHERE a.delivery_channel = 'e_delivery' AND a.status = 'delivered')::int AS sent_delivered
       FROM ${realApplications} a JOIN reached r ON r.application_id = a.id
       GROUP BY a.district_code`,
      [now, atRiskUntil, closedStatuses],
    );
  }

  /**
   * Open dead letters (neither replayed nor discarded) by district: the application's district when the key names one,
   * else the districtCode inside the message (a submission that never became an application).
   */
  private deadLettersPerDistrict(): Promise<{ district_code: string; count: number }[]> {
    return this.dataSource.query(
      `SELECT district_code, count(*)::int AS count FROM (
         SELECT COALESCE(a.district_code,
                         substring(encode(d.value, 'escape') from '"districtCode" *: *"([a-z0-9_-]+)"')) AS district_code
         FROM applications.dead_letter d
         LEFT JOIN ${realApplications} a ON a.id::text = d.message_key
         WHERE d.state = 'open') AS letters
       WHERE district_code IS NOT NULL GROUP BY 1`,
    );
  }

  private async perService(now: Date): Promise<Schemas['ServiceStatistics'][]> {
    const rows = await this.dataSource.query<
      { service_number: number; service_name: string; total: number; open: number; overdue: number }[]
    >(
      `SELECT service_number, min(service_name) AS service_name, count(*)::int AS total,
              count(*) FILTER (WHERE status <> ALL($2::text[]))::int AS open,
              count(*) FILTER (WHERE status <> ALL($2::text[]) AND paused_since IS NULL AND due_at < $1)::int AS overdue
       FROM ${realApplications} AS application GROUP BY service_number ORDER BY total DESC, service_number`,
      [now, closedStatuses],
    );
    return rows.map((row) => ({
      serviceNumber: row.service_number,
      serviceName: row.service_name,
      total: row.total,
      open: row.open,
      overdue: row.overdue,
      closed: row.total - row.open,
    }));
  }

  /** Applications received and closed per hour, with the time from receipt to closing. */
  private async timeline(now: Date, hours: number): Promise<Schemas['StatisticsHour'][]> {
    const rows = await this.dataSource.query<HourRow[]>(
      `WITH hours AS (
         SELECT generate_series(date_trunc('hour', $1::timestamptz) - ($2::int - 1) * interval '1 hour',
                                date_trunc('hour', $1::timestamptz), interval '1 hour') AS hour),
       received AS (
         SELECT date_trunc('hour', received_at) AS hour, count(*)::int AS n FROM ${realApplications} AS application
         WHERE received_at >= (SELECT min(hour) FROM hours) GROUP BY 1),
       closed AS (
         SELECT date_trunc('hour', e.occurred_at) AS hour, count(*)::int AS n,
                percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM e.occurred_at - a.received_at)) AS median,
                percentile_cont(0.9) WITHIN GROUP (ORDER BY extract(epoch FROM e.occurred_at - a.received_at)) AS p90
         FROM applications.application_event e JOIN ${realApplications} a ON a.id = e.application_id
         WHERE e.to_status = ANY($3::text[]) AND e.occurred_at >= (SELECT min(hour) FROM hours) GROUP BY 1)
       SELECT h.hour, coalesce(r.n, 0) AS received, coalesce(c.n, 0) AS closed,
              c.median AS median_seconds, c.p90 AS p90_seconds
       FROM hours h LEFT JOIN received r USING (hour) LEFT JOIN closed c USING (hour) ORDER BY h.hour`,
      // A handover follows awaiting_collection, which already closed the application.
      [now, hours, closedStatuses.filter((status) => status !== 'handed_over')],
    );
    return rows.map((row) => ({
      hour: new Date(row.hour).toISOString(),
      received: row.received,
      closed: row.closed,
      medianSeconds: row.median_seconds === null ? null : Math.round(Number(row.median_seconds)),
      p90Seconds: row.p90_seconds === null ? null : Math.round(Number(row.p90_seconds)),
    }));
  }
}

function districtStatistics(
  districtCode: string,
  row: DistrictRow | undefined,
  statusRows: { status: string; count: number }[],
  deadLetters: number,
): DistrictStatistics {
  const byStatus = Object.fromEntries(applicationStatuses.map((status) => [status, 0])) as Record<string, number>;
  for (const { status, count } of statusRows) byStatus[status] = count;
  const count = (key: keyof DistrictRow) => (row ? Number(row[key]) : 0);
  return {
    districtCode,
    total: count('total'),
    byStatus,
    funnel: {
      received: count('total'),
      registered: count('registered'),
      paid: count('paid'),
      inProgress: count('in_progress'),
      resultReady: count('result_ready'),
      delivered: count('delivered'),
    },
    open: count('open'),
    atRisk: count('at_risk'),
    overdue: count('overdue'),
    payments: { requested: count('asked'), paid: count('paid'), conversion: rate(count('paid'), count('asked')) },
    deliveries: {
      sent: count('sent'),
      delivered: count('sent_delivered'),
      success: rate(count('sent_delivered'), count('sent')),
    },
    deadLetters,
  };
}

function rate(part: number, whole: number): number | null {
  return whole === 0 ? null : Math.round((part / whole) * 10_000) / 10_000;
}
