import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Application, ApplicationPage, ApplicationStatus } from '@umg/contracts';
import { ApplicationEntity } from '../application/application.entity';
import { ApplicationError, ApplicationErrorCode } from '../lifecycle/application-error';
import { ApplicationView } from '../read/application-view';
import { toApplicationSummary } from '../read/application.mapper';

/** findApplications' query, checked against the contract at the edge. */
export interface FindQuery {
  registrationNumber?: string;
  portalApplicationId?: string;
  district?: string;
  status?: ApplicationStatus[];
  cursor?: string;
  limit: number;
}

interface Cursor {
  receivedAt: string;
  id: string;
  filters: string;
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
  ) {}

  async find(query: FindQuery): Promise<ApplicationPage> {
    const filters = fingerprint(query);
    const cursor = query.cursor ? decodeCursor(query.cursor, filters) : undefined;
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
    if (cursor) {
      builder.andWhere('(a.receivedAt, a.id) < (CAST(:beforeReceivedAt AS timestamptz), CAST(:beforeId AS uuid))', {
        beforeReceivedAt: cursor.receivedAt,
        beforeId: cursor.id,
      });
    }
    // The cursor keeps the database's full (microsecond) timestamp, not the millisecond Date.
    const { entities, raw } = await builder
      .addSelect(`to_char(a.received_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`, 'cursor_received_at')
      .orderBy('a.receivedAt', 'DESC')
      .addOrderBy('a.id', 'DESC')
      .limit(query.limit + 1)
      .getRawAndEntities<{ cursor_received_at: string }>();
    const page = entities.slice(0, query.limit);
    const last = page.at(-1);
    return {
      items: page.map((application) => toApplicationSummary(application)),
      nextCursor:
        entities.length > query.limit && last
          ? encodeCursor({ receivedAt: raw[page.length - 1]!.cursor_received_at, id: last.id, filters })
          : null,
    };
  }

  /** Any district's application, whole, for the operator's page about it. */
  async get(applicationId: string): Promise<Application> {
    const manager = this.dataSource.manager;
    const application = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(applicationId)
      ? await manager.findOne(ApplicationEntity, { where: { id: applicationId } })
      : null;
    if (!application) throw new ApplicationError(ApplicationErrorCode.NotFound, `no application ${applicationId}`);
    return this.view.of(manager, application);
  }
}

/** A cursor belongs to its filters: reusing it with other filters would skip or repeat rows. */
function fingerprint(query: FindQuery): string {
  const filters = {
    registrationNumber: query.registrationNumber?.trim().toLowerCase(),
    portalApplicationId: query.portalApplicationId?.trim().toLowerCase(),
    district: query.district,
    status: query.status ?? [],
  };
  return createHash('sha256').update(JSON.stringify(filters)).digest('base64url').slice(0, 16);
}

function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

function decodeCursor(text: string, filters: string): Cursor {
  try {
    const cursor = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as Cursor;
    if (
      cursor.filters === filters &&
      typeof cursor.id === 'string' &&
      /^[0-9a-f-]{36}$/.test(cursor.id) &&
      !Number.isNaN(Date.parse(cursor.receivedAt))
    ) {
      return cursor;
    }
  } catch {
    // falls through to the error below
  }
  throw new ApplicationError(ApplicationErrorCode.InvalidCursor, 'the cursor is not valid for these filters');
}
