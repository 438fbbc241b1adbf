import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Application, ApplicationPage, ApplicationStatus } from '@umg/contracts';
import { ApplicationEntity } from '../application/application.entity';
import { ApplicationView } from '../read/application-view';
import { applicationPage, filtersFingerprint } from '../read/application-page';
import { WorkingCalendar } from '../calendar/working-calendar';
import { onlyOpenStatuses } from '../deadlines/deadline-state';

/** findApplications' query, checked against the contract at the edge. */
export interface FindQuery {
  registrationNumber?: string;
  portalApplicationId?: string;
  district?: string;
  status?: ApplicationStatus[];
  cursor?: string;
  limit: number;
}

/**
 * An operator's search across every district: registration number and portal reference match
 * whole (ignoring case and surrounding spaces, as people type them), district and statuses narrow
 * it; newest first, keyset-paged. Sandbox applications are left out: they concern no one.
 */
@Injectable()
export class FindApplicationsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly view: ApplicationView,
    private readonly calendars: WorkingCalendar,
  ) {}

  find(query: FindQuery): Promise<ApplicationPage> {
    const builder = this.dataSource.manager
      .createQueryBuilder(ApplicationEntity, 'a')
      .where('a.conformanceRunId IS NULL');
    const registrationNumber = query.registrationNumber?.trim();
    if (registrationNumber)
      builder.andWhere('lower(a.registration_number) = lower(:registrationNumber)', { registrationNumber });
    const portalApplicationId = query.portalApplicationId?.trim();
    if (portalApplicationId)
      builder.andWhere('lower(a.portal_application_id) = lower(:portalApplicationId)', { portalApplicationId });
    if (query.district) builder.andWhere('a.districtCode = :district', { district: query.district });
    if (query.status && query.status.length > 0)
      builder.andWhere('a.status IN (:...statuses)', { statuses: query.status });
    if (query.status && onlyOpenStatuses(query.status)) builder.andWhere('a.is_open');
    return applicationPage(builder, {
      cursor: query.cursor,
      limit: query.limit,
      filters: fingerprint(query),
      order: 'DESC',
      window: this.calendars,
    });
  }

  /** Any district's application, whole, for the operator's page about it. */
  get(applicationId: string): Promise<Application> {
    return this.view.forOperator(this.dataSource.manager, applicationId);
  }
}

/** The filters a cursor belongs to. */
function fingerprint(query: FindQuery): string {
  const filters = {
    registrationNumber: query.registrationNumber?.trim().toLowerCase(),
    portalApplicationId: query.portalApplicationId?.trim().toLowerCase(),
    district: query.district,
    status: query.status ?? [],
  };
  return filtersFingerprint(filters);
}
