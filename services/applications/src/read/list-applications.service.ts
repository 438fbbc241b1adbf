import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { ApplicationPage, ApplicationStatus, Urgency } from '@umg/contracts';
import { ApplicationEntity } from '../application/application.entity';
import type { DistrictScope } from '../application/district-scope';
import { ApplicationError, ApplicationErrorCode } from '../lifecycle/application-error';
import { toApplicationSummary } from './application.mapper';

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

interface Cursor {
  receivedAt: string;
  id: string;
  filters: string;
}

/** A district's applications, oldest first, one page at a time (keyset pagination). */
@Injectable()
export class ListApplicationsService {
  constructor(private readonly dataSource: DataSource) {}

  async list(scope: DistrictScope, query: ListQuery): Promise<ApplicationPage> {
    const filters = filterFingerprint(query);
    const cursor = query.cursor ? decodeCursor(query.cursor, filters) : undefined;
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
    if (cursor) {
      builder.andWhere('(a.receivedAt, a.id) > (CAST(:afterReceivedAt AS timestamptz), CAST(:afterId AS uuid))', {
        afterReceivedAt: cursor.receivedAt,
        afterId: cursor.id,
      });
    }
    // The cursor keeps the database's full (microsecond) timestamp, not the millisecond Date.
    const { entities, raw } = await builder
      .addSelect(`to_char(a.received_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`, 'cursor_received_at')
      .orderBy('a.receivedAt', 'ASC')
      .addOrderBy('a.id', 'ASC')
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
}

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
