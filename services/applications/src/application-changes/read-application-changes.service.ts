import { Injectable } from '@nestjs/common';
import type { ApplicationChange, ApplicationChangePage } from '@umg/contracts';
import { DataSource } from 'typeorm';
import type { DistrictScope } from '../application/district-scope';
import { ApplicationError, ApplicationErrorCode } from '../lifecycle/application-error';
import { type ChangeCursor, decodeChangeCursor, encodeChangeCursor } from './change-cursor';
import { ChangeWakeups } from './change-wakeups';

/** listApplicationChanges' query, checked against the contract (which gives the defaults) at the edge. */
export interface ChangesQuery {
  after?: string;
  wait: number;
  limit: number;
}

interface ChangeRow {
  change_position: string;
  application_id: string;
  sequence: number;
  from_status: string | null;
  to_status: string;
  occurred_at: Date;
  actor_kind: string;
  actor_id: string;
  reasons: ApplicationChange['reasons'] | null;
  sandbox: boolean;
}

/** A wait re-reads at least this often, should a NOTIFY be lost while the LISTEN connection reconnects. */
const safetyReadMs = 5_000;

/**
 * A district's changes feed: timeline entries after the cursor by their feed position (given at
 * commit, in commit order: see migrations ApplicationChanges1770200000000 and
 * NarrowChangesFeed1770661000000), waiting for the next commit when there is none yet.
 */
@Injectable()
export class ReadApplicationChangesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly wakeups: ChangeWakeups,
  ) {}

  async read(scope: DistrictScope, query: ChangesQuery): Promise<ApplicationChangePage> {
    const cursor = decodeChangeCursor(query.after, scope.districtCode);
    const deadline = Date.now() + query.wait * 1000;
    for (;;) {
      const subscription = query.wait > 0 ? await this.wakeups.subscribe(scope.districtCode) : undefined;
      try {
        const page = await this.page(cursor, query.limit);
        const left = deadline - Date.now();
        if (page.items.length > 0 || !subscription || left <= 0) return page;
        await subscription.wait(Math.min(left, safetyReadMs));
      } finally {
        subscription?.close();
      }
    }
  }

  /**
   * One statement: the page, and the head of the district's feed on every row (on a row of its
   * own when the page is empty), to tell an empty feed from a cursor it never gave.
   */
  private async page(cursor: ChangeCursor, limit: number): Promise<ApplicationChangePage> {
    const rows = (await this.dataSource.query(
      `SELECT head.position AS head, page.*
       FROM (SELECT (SELECT position FROM applications.district_change_head WHERE district_code = $1) AS position) head
       LEFT JOIN LATERAL (
         SELECT c.position AS change_position, e.application_id, e.sequence, e.from_status, e.to_status,
                e.occurred_at, e.actor_kind, e.actor_id, e.reasons, a.conformance_run_id IS NOT NULL AS sandbox
         FROM applications.application_change c
         JOIN applications.application_event e ON e.id = c.event_id
         JOIN applications.application a ON a.id = e.application_id
         WHERE c.district_code = $1 AND c.position > $2
         ORDER BY c.position
         LIMIT $3) page ON true
       ORDER BY page.change_position`,
      [cursor.districtCode, cursor.position.toString(), limit],
    )) as ({ head: string | null } & (ChangeRow | { change_position: null }))[];
    const changes = rows.filter((row): row is ChangeRow & { head: string | null } => row.change_position !== null);
    if (changes.length === 0) assertKnown(cursor, rows[0]?.head ?? null);
    const last = changes.at(-1);
    return {
      items: changes.map(toChange),
      nextCursor: encodeChangeCursor(last ? { ...cursor, position: BigInt(last.change_position) } : cursor),
    };
  }
}

/** A cursor ahead of the feed's head was not given by this feed (a restore, another database). */
function assertKnown(cursor: ChangeCursor, head: string | null): void {
  if (cursor.position === 0n) return;
  if (head === null || BigInt(head) < cursor.position) {
    throw new ApplicationError(
      ApplicationErrorCode.ResyncRequired,
      'the feed does not know this cursor: list the applications, then follow the feed again without after',
    );
  }
}

function toChange(row: ChangeRow): ApplicationChange {
  return {
    applicationId: row.application_id,
    version: row.sequence,
    type: row.from_status === null ? 'application.received' : 'application.status_changed',
    status: row.to_status as ApplicationChange['status'],
    previousStatus: row.from_status as ApplicationChange['previousStatus'],
    occurredAt: row.occurred_at.toISOString(),
    actor: { kind: row.actor_kind as ApplicationChange['actor']['kind'], id: row.actor_id },
    ...(row.reasons ? { reasons: row.reasons } : {}),
    sandbox: row.sandbox,
  };
}
