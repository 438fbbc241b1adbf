import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { ApplicationsInternal } from '@umg/contracts';
import { WorkingCalendar } from '../calendar/working-calendar';
import { closedStatuses, deadlineWindow } from './deadline-state';

type DeadlineAlerts = ApplicationsInternal.components['schemas']['DeadlineAlerts'];
type DeadlineAlert = DeadlineAlerts['items'][number];

/** What the console's deadline view and live stream show: counts, and the most urgent applications. */
@Injectable()
export class DeadlineAlertsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly calendars: WorkingCalendar,
  ) {}

  async alerts(query: { district?: string; limit: number }): Promise<DeadlineAlerts> {
    const { now, dueSoonUntil } = deadlineWindow(await this.calendars.current());
    const open = `status <> ALL($1::text[]) AND conformance_run_id IS NULL AND ($2::text IS NULL OR district_code = $2)`;
    const [counts] = (await this.dataSource.query(
      `SELECT count(*) FILTER (WHERE paused_since IS NULL AND due_at < $3)::int AS overdue,
              count(*) FILTER (WHERE paused_since IS NULL AND due_at >= $3 AND due_at <= $4)::int AS due_soon,
              count(*) FILTER (WHERE paused_since IS NOT NULL)::int AS paused
         FROM applications.application WHERE ${open}`,
      [closedStatuses, query.district ?? null, now, dueSoonUntil],
    )) as { overdue: number; due_soon: number; paused: number }[];
    const rows = (await this.dataSource.query(
      `SELECT id, district_code, service_number, service_name, registration_number, status, due_at,
              CASE WHEN due_at < $3 THEN overdue_at ELSE due_soon_at END AS alerted_at
         FROM applications.application
        WHERE ${open} AND paused_since IS NULL AND due_at <= $4
        ORDER BY due_at, id LIMIT $5`,
      [closedStatuses, query.district ?? null, now, dueSoonUntil, query.limit],
    )) as {
      id: string;
      district_code: string;
      service_number: number;
      service_name: string;
      registration_number: string | null;
      status: DeadlineAlert['status'];
      due_at: Date;
      alerted_at: Date | null;
    }[];
    return {
      generatedAt: now.toISOString(),
      overdue: counts?.overdue ?? 0,
      dueSoon: counts?.due_soon ?? 0,
      paused: counts?.paused ?? 0,
      items: rows.map((row) => ({
        applicationId: row.id,
        districtCode: row.district_code,
        serviceNumber: row.service_number,
        serviceName: row.service_name,
        registrationNumber: row.registration_number,
        status: row.status,
        state: new Date(row.due_at) < now ? 'overdue' : 'due_soon',
        dueAt: new Date(row.due_at).toISOString(),
        alertedAt: row.alerted_at ? new Date(row.alerted_at).toISOString() : null,
      })),
    };
  }
}
