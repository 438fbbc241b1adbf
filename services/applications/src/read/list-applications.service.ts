import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { ApplicationPage, ApplicationStatus, Urgency } from '@umg/contracts';
import { ApplicationEntity } from '../application/application.entity';
import type { DistrictScope } from '../application/district-scope';
import { WorkingCalendar } from '../calendar/working-calendar';
import { closedStatuses, type DeadlineState, deadlineWindow, onlyOpenStatuses } from '../deadlines/deadline-state';
import { applicationPage, filtersFingerprint } from './application-page';

/** listApplications' query, checked against the contract (which gives the defaults) at the edge. */
export interface ListQuery {
  status?: ApplicationStatus[];
  serviceNumber?: number;
  urgency?: Urgency;
  submittedFrom?: string;
  submittedTo?: string;
  overdue?: boolean;
  deadline?: DeadlineState[];
  cursor?: string;
  limit: number;
}

/** A district's applications, oldest first, one page at a time (keyset pagination). */
@Injectable()
export class ListApplicationsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly calendars: WorkingCalendar,
  ) {}

  async list(scope: DistrictScope, query: ListQuery): Promise<ApplicationPage> {
    const builder = this.dataSource.manager
      .createQueryBuilder(ApplicationEntity, 'a')
      .where('a.districtCode = :districtCode', { districtCode: scope.districtCode });
    if (query.status && query.status.length > 0)
      builder.andWhere('a.status IN (:...statuses)', { statuses: query.status });
    if (query.status && onlyOpenStatuses(query.status)) builder.andWhere('a.is_open');
    if (query.serviceNumber)
      builder.andWhere('a.serviceNumber = :serviceNumber', { serviceNumber: query.serviceNumber });
    if (query.urgency) builder.andWhere('a.urgency = :urgency', { urgency: query.urgency });
    if (query.submittedFrom) builder.andWhere('a.submittedAt >= :from', { from: query.submittedFrom });
    if (query.submittedTo) builder.andWhere('a.submittedAt < :to', { to: query.submittedTo });
    // The deadline filters judge against a window made before the query; without them it comes with the page.
    const judged = query.overdue !== undefined || (query.deadline?.length ?? 0) > 0;
    const window = judged ? deadlineWindow(await this.calendars.current()) : undefined;
    const deadlineParameters = { closed: closedStatuses, now: window?.now, dueSoonUntil: window?.dueSoonUntil };
    if (query.overdue === true) {
      builder.andWhere(`${deadlineStates.overdue}`, deadlineParameters);
    } else if (query.overdue === false) {
      builder.andWhere(
        '(a.status IN (:...closed) OR a.pausedSince IS NOT NULL OR a.dueAt IS NULL OR a.dueAt >= :now)',
        deadlineParameters,
      );
    }
    if (query.deadline && query.deadline.length > 0) {
      const states = query.deadline.map((state) => `(${deadlineStates[state]})`).join(' OR ');
      builder.andWhere(`(${states})`, deadlineParameters);
    }
    return applicationPage(builder, {
      cursor: query.cursor,
      limit: query.limit,
      filters: filterFingerprint(query),
      order: 'ASC',
      window: window ?? this.calendars,
    });
  }
}

/** Each deadline state in SQL, as deadlineStateOf decides it (`now` and `dueSoonUntil` from one window). */
const open = 'a.status NOT IN (:...closed)';
const running = `${open} AND a.pausedSince IS NULL`;
const deadlineStates: Record<DeadlineState, string> = {
  closed: 'a.status IN (:...closed)',
  paused: `${open} AND a.pausedSince IS NOT NULL`,
  not_started: `${running} AND a.dueAt IS NULL AND a.termUnit IS NOT NULL`,
  overdue: `${running} AND a.dueAt < :now`,
  due_soon: `${running} AND a.dueAt >= :now AND a.dueAt <= :dueSoonUntil`,
  on_time: `${running} AND a.dueAt > :dueSoonUntil`,
};

/** A cursor belongs to its filters: reusing it with other filters would skip or repeat rows. */
function filterFingerprint(query: ListQuery): string {
  // In the form cursors were made with before the contract check (statuses listed, overdue as text).
  const filters = {
    status: query.status ?? [],
    serviceNumber: query.serviceNumber,
    urgency: query.urgency,
    submittedFrom: query.submittedFrom,
    submittedTo: query.submittedTo,
    overdue: query.overdue === undefined ? undefined : String(query.overdue),
    ...(query.deadline ? { deadline: [...query.deadline].sort() } : {}),
  };
  return filtersFingerprint(filters);
}
