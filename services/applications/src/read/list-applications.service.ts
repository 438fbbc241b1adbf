import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { ApplicationPage, ApplicationStatus, Urgency } from '@umg/contracts';
import { ApplicationEntity } from '../application/application.entity';
import type { DistrictScope } from '../application/district-scope';
import { applicationPage, filtersFingerprint } from './application-page';

const closedStatuses = ['delivered', 'refused', 'withdrawn', 'awaiting_collection', 'handed_over', 'expired_unpaid'];

/** listApplications' query, checked against the contract (which gives the defaults) at the edge. */
export interface ListQuery {
  status?: ApplicationStatus[];
  serviceNumber?: number;
  urgency?: Urgency;
  submittedFrom?: string;
  submittedTo?: string;
  overdue?: boolean;
  cursor?: string;
  limit: number;
}

/** A district's applications, oldest first, one page at a time (keyset pagination). */
@Injectable()
export class ListApplicationsService {
  constructor(private readonly dataSource: DataSource) {}

  async list(scope: DistrictScope, query: ListQuery): Promise<ApplicationPage> {
    const builder = this.dataSource.manager
      .createQueryBuilder(ApplicationEntity, 'a')
      .where('a.districtCode = :districtCode', { districtCode: scope.districtCode });
    if (query.status && query.status.length > 0)
      builder.andWhere('a.status IN (:...statuses)', { statuses: query.status });
    if (query.serviceNumber)
      builder.andWhere('a.serviceNumber = :serviceNumber', { serviceNumber: query.serviceNumber });
    if (query.urgency) builder.andWhere('a.urgency = :urgency', { urgency: query.urgency });
    if (query.submittedFrom) builder.andWhere('a.submittedAt >= :from', { from: query.submittedFrom });
    if (query.submittedTo) builder.andWhere('a.submittedAt < :to', { to: query.submittedTo });
    if (query.overdue === true) {
      builder.andWhere('a.dueAt < now() AND a.status NOT IN (:...closed)', { closed: closedStatuses });
    } else if (query.overdue === false) {
      builder.andWhere('(a.dueAt IS NULL OR a.dueAt >= now() OR a.status IN (:...closed))', { closed: closedStatuses });
    }
    return applicationPage(builder, {
      cursor: query.cursor,
      limit: query.limit,
      filters: filterFingerprint(query),
      order: 'ASC',
    });
  }
}

/** The filters a cursor belongs to. */
function filterFingerprint(query: ListQuery): string {
  // In the form cursors were made with before the contract check (statuses listed, overdue as text).
  const filters = {
    status: query.status ?? [],
    serviceNumber: query.serviceNumber,
    urgency: query.urgency,
    submittedFrom: query.submittedFrom,
    submittedTo: query.submittedTo,
    overdue: query.overdue === undefined ? undefined : String(query.overdue),
  };
  return filtersFingerprint(filters);
}
