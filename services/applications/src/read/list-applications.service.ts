import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { applicationStatuses, type ApplicationPage } from '@umg/contracts';
import { ApplicationEntity } from '../application/application.entity';
import type { DistrictScope } from '../application/district-scope';
import { ApplicationError, ApplicationErrorCode } from '../lifecycle/application-error';
import { toApplicationSummary } from './application.mapper';

const closedStatuses = ['delivered', 'refused', 'withdrawn', 'awaiting_collection', 'expired_unpaid'];

const listQuery = z.object({
  status: z
    .union([z.string(), z.array(z.string())])
    .optional()
    .transform((value) => (value === undefined ? [] : Array.isArray(value) ? value : value.split(',')))
    .pipe(z.array(z.enum(applicationStatuses as unknown as [string, ...string[]]))),
  serviceNumber: z.coerce.number().int().min(1).max(999_999).optional(),
  urgency: z.enum(['regular', 'fast', 'express']).optional(),
  submittedFrom: z.iso.datetime({ offset: true }).optional(),
  submittedTo: z.iso.datetime({ offset: true }).optional(),
  overdue: z.enum(['true', 'false']).optional(),
  cursor: z.string().max(512).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

type ListQuery = z.infer<typeof listQuery>;

interface Cursor {
  receivedAt: string;
  id: string;
  filters: string;
}

/** A district's applications, oldest first, one page at a time (keyset pagination). */
@Injectable()
export class ListApplicationsService {
  constructor(private readonly dataSource: DataSource) {}

  async list(scope: DistrictScope, rawQuery: Record<string, unknown>): Promise<ApplicationPage> {
    const query = parseQuery(rawQuery);
    const filters = filterFingerprint(query);
    const cursor = query.cursor ? decodeCursor(query.cursor, filters) : undefined;
    const builder = this.dataSource.manager
      .createQueryBuilder(ApplicationEntity, 'a')
      .where('a.districtCode = :districtCode', { districtCode: scope.districtCode });
    if (query.status.length > 0) builder.andWhere('a.status IN (:...statuses)', { statuses: query.status });
    if (query.serviceNumber)
      builder.andWhere('a.serviceNumber = :serviceNumber', { serviceNumber: query.serviceNumber });
    if (query.urgency) builder.andWhere('a.urgency = :urgency', { urgency: query.urgency });
    if (query.submittedFrom) builder.andWhere('a.submittedAt >= :from', { from: query.submittedFrom });
    if (query.submittedTo) builder.andWhere('a.submittedAt < :to', { to: query.submittedTo });
    if (query.overdue === 'true') {
      builder.andWhere('a.dueAt < now() AND a.status NOT IN (:...closed)', { closed: closedStatuses });
    } else if (query.overdue === 'false') {
      builder.andWhere('(a.dueAt IS NULL OR a.dueAt >= now() OR a.status IN (:...closed))', { closed: closedStatuses });
    }
    if (cursor) {
      builder.andWhere('(a.receivedAt, a.id) > (:afterReceivedAt, :afterId)', {
        afterReceivedAt: cursor.receivedAt,
        afterId: cursor.id,
      });
    }
    const rows = await builder
      .orderBy('a.receivedAt', 'ASC')
      .addOrderBy('a.id', 'ASC')
      .take(query.limit + 1)
      .getMany();
    const page = rows.slice(0, query.limit);
    const last = page.at(-1);
    return {
      items: page.map((application) => toApplicationSummary(application)),
      nextCursor:
        rows.length > query.limit && last
          ? encodeCursor({ receivedAt: last.receivedAt.toISOString(), id: last.id, filters })
          : null,
    };
  }
}

function parseQuery(raw: Record<string, unknown>): ListQuery {
  const result = listQuery.safeParse(raw);
  if (result.success) return result.data;
  throw new ApplicationError(
    ApplicationErrorCode.ValidationFailed,
    'the query is not valid',
    result.error.issues.map((issue) => ({
      field: issue.path.join('.') || '(query)',
      code: 'invalid_value',
      message: issue.message,
    })),
  );
}

/** A cursor belongs to its filters: reusing it with other filters would skip or repeat rows. */
function filterFingerprint(query: ListQuery): string {
  const { cursor: _cursor, limit: _limit, ...filters } = query;
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
