import { createHash } from 'node:crypto';
import type { SelectQueryBuilder } from 'typeorm';
import type { ApplicationPage } from '@umg/contracts';
import type { ApplicationEntity } from '../application/application.entity';
import { type DecreeDayRow, decreeDaysInForce, WorkingCalendar } from '../calendar/working-calendar';
import { type DeadlineWindow, deadlineWindow } from '../deadlines/deadline-state';
import { ApplicationError, ApplicationErrorCode } from '../lifecycle/application-error';
import { toApplicationSummary } from './application.mapper';

/** Where a page of applications ended (keyset: received time, then id) and the filters it belongs to. */
export interface ApplicationCursor {
  receivedAt: string;
  id: string;
  filters: string;
}

/** A cursor belongs to its filters: reusing it with other filters would skip or repeat rows. */
export function filtersFingerprint(filters: object): string {
  return createHash('sha256').update(JSON.stringify(filters)).digest('base64url').slice(0, 16);
}

function encodeCursor(cursor: ApplicationCursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

function decodeCursor(text: string, filters: string): ApplicationCursor {
  try {
    const cursor = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as ApplicationCursor;
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

/**
 * One page of a filtered query of applications (alias `a`), keyset-paged by received time then id:
 * oldest first (`ASC`, a district's work list) or newest first (`DESC`, an operator's search).
 * Without a deadline window (the filters did not need one) the calendar's decree days are read
 * with the page and the window judged from them: one statement.
 */
export async function applicationPage(
  builder: SelectQueryBuilder<ApplicationEntity>,
  page: {
    cursor?: string;
    limit: number;
    filters: string;
    order: 'ASC' | 'DESC';
    window: DeadlineWindow | WorkingCalendar;
  },
): Promise<ApplicationPage> {
  const cursor = page.cursor ? decodeCursor(page.cursor, page.filters) : undefined;
  if (cursor) {
    const beyond = page.order === 'ASC' ? '>' : '<';
    builder.andWhere(
      `(a.receivedAt, a.id) ${beyond} (CAST(:cursorReceivedAt AS timestamptz), CAST(:cursorId AS uuid))`,
      {
        cursorReceivedAt: cursor.receivedAt,
        cursorId: cursor.id,
      },
    );
  }
  // The cursor keeps the database's full (microsecond) timestamp, not the millisecond Date.
  builder.addSelect(`to_char(a.received_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`, 'cursor_received_at');
  const calendars = page.window instanceof WorkingCalendar ? page.window : undefined;
  if (calendars) builder.addSelect(decreeDaysInForce, 'decree_days');
  const { entities, raw } = await builder
    .orderBy('a.receivedAt', page.order)
    .addOrderBy('a.id', page.order)
    .limit(page.limit + 1)
    .getRawAndEntities<{ cursor_received_at: string; decree_days?: DecreeDayRow[] }>();
  const window = calendars ? deadlineWindow(calendars.of(raw[0]?.decree_days ?? [])) : (page.window as DeadlineWindow);
  const items = entities.slice(0, page.limit);
  const last = items.at(-1);
  return {
    items: items.map((application) => toApplicationSummary(application, window)),
    nextCursor:
      entities.length > page.limit && last
        ? encodeCursor({ receivedAt: raw[items.length - 1]!.cursor_received_at, id: last.id, filters: page.filters })
        : null,
  };
}
