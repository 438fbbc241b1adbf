import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { DistrictsInternal } from '@umg/contracts';
import type { Logger } from '@umg/logging';
import { InjectLogger } from '../inject-logger';
import { DistrictError, DistrictErrorCode } from '../district/district-error';
import { DistrictRepository } from '../district/district.repository';
import { type PushRow, toPushView } from '../push/pushes.http.controller';
import { pushQueueChannel } from '../push/push-worker';

type Schemas = DistrictsInternal.components['schemas'];
type ParkedPush = Schemas['ParkedPush'];
type ParkedPushDetail = Schemas['ParkedPushDetail'];
type Outcome = Schemas['ParkedPushOutcomes']['results'][number];

export interface ParkedPushQuery {
  district?: string;
  state: 'parked' | 'discarded';
  cursor?: string;
  limit: number;
}

interface ParkedPushRow extends PushRow {
  replay_count: number;
  replayed_at: Date | null;
  replayed_by: string | null;
  discarded_at: Date | null;
  discarded_by: string | null;
  discard_reason: string | null;
}

const columns = `id, district_code, application_id, sequence, kind, state, attempts, last_error, created_at, answered_at,
  back_office_reference, replay_count, replayed_at, replayed_by, discarded_at, discarded_by, discard_reason`;

/**
 * Pushes the push worker parked for an operator, as the console recovers them: listed,
 * inspected, replayed (back at their place in the district's queue, fresh attempts) or discarded
 * with a reason. Every change is audited in the district's registry audit with the operator.
 */
@Injectable()
export class ParkedPushesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly districts: DistrictRepository,
    @InjectLogger() private readonly logger: Logger,
  ) {}

  async list(query: ParkedPushQuery): Promise<{ items: ParkedPush[]; nextCursor: string | null }> {
    const rows: ParkedPushRow[] = await this.dataSource.query(
      `SELECT ${columns} FROM districts.outgoing_push
        WHERE state = $1 AND ($2::text IS NULL OR district_code = $2) AND ($3::bigint IS NULL OR id < $3)
        ORDER BY id DESC LIMIT $4`,
      [query.state, query.district ?? null, query.cursor ?? null, query.limit + 1],
    );
    const page = rows.slice(0, query.limit);
    return { items: page.map(toParkedPush), nextCursor: rows.length > query.limit ? page[page.length - 1]!.id : null };
  }

  async get(id: number): Promise<ParkedPushDetail> {
    const [row] = (await this.dataSource.query(
      `SELECT ${columns}, payload FROM districts.outgoing_push WHERE id = $1`,
      [id],
    )) as (ParkedPushRow & { payload: unknown })[];
    if (!row) throw new DistrictError(DistrictErrorCode.PushNotFound, `no push ${id}`);
    const attempts: {
      attempted_at: Date;
      outcome: string;
      http_status: number | null;
      duration_ms: number;
      error: string | null;
    }[] = await this.dataSource.query(
      `SELECT attempted_at, outcome, http_status, duration_ms, error FROM districts.push_attempt
          WHERE push_id = $1 ORDER BY id DESC LIMIT 100`,
      [id],
    );
    return {
      ...toParkedPush(row),
      payload: row.payload,
      attemptLog: attempts.map((attempt) => ({
        at: attempt.attempted_at.toISOString(),
        outcome: attempt.outcome,
        httpStatus: attempt.http_status,
        durationMs: attempt.duration_ms,
        error: attempt.error,
      })),
    };
  }

  /** Each parked push back in its district's queue with fresh attempts, in one transaction. */
  replay(ids: number[], actor: string, reason: string): Promise<Outcome[]> {
    return this.change(ids, 'replayed', async (manager, row) => {
      await manager.query(
        `UPDATE districts.outgoing_push
            SET state = 'pending', attempts = 0, next_attempt_at = now(), lease_until = NULL,
                replay_count = replay_count + 1, replayed_at = now(), replayed_by = $2
          WHERE id = $1 RETURNING pg_notify('${pushQueueChannel}', '')`,
        [row.id, actor],
      );
      await this.districts.audit(manager, {
        districtCode: row.district_code,
        change: 'push_replay',
        before: { pushId: Number(row.id), state: 'parked' },
        after: { pushId: Number(row.id), state: 'pending' },
        actor,
        reason,
      });
    });
  }

  /** Each parked push given up for good, with the operator's reason. */
  discard(ids: number[], actor: string, reason: string): Promise<Outcome[]> {
    return this.change(ids, 'discarded', async (manager, row) => {
      await manager.query(
        `UPDATE districts.outgoing_push
            SET state = 'discarded', discarded_at = now(), discarded_by = $2, discard_reason = $3, lease_until = NULL
          WHERE id = $1`,
        [row.id, actor, reason],
      );
      await this.districts.audit(manager, {
        districtCode: row.district_code,
        change: 'push_discard',
        before: { pushId: Number(row.id), state: 'parked' },
        after: { pushId: Number(row.id), state: 'discarded' },
        actor,
        reason,
      });
    });
  }

  private async change(
    ids: number[],
    done: 'replayed' | 'discarded',
    apply: (manager: EntityManager, row: { id: string; district_code: string }) => Promise<void>,
  ): Promise<Outcome[]> {
    const unique = [...new Set(ids)];
    const outcomes = await this.dataSource.transaction(async (manager) => {
      const rows: { id: string; district_code: string; state: string }[] = await manager.query(
        `SELECT id, district_code, state FROM districts.outgoing_push WHERE id = ANY($1::bigint[]) ORDER BY id FOR UPDATE`,
        [unique],
      );
      const states = new Map(rows.map((row) => [Number(row.id), row.state]));
      for (const row of rows.filter((candidate) => candidate.state === 'parked')) await apply(manager, row);
      return ids.map((id): Outcome => {
        const state = states.get(id);
        if (state === undefined) return { id, outcome: 'not_found' };
        return { id, outcome: state === 'parked' ? done : 'not_parked' };
      });
    });
    this.logger.info({ ids: unique, outcome: done }, 'parked pushes changed by an operator');
    return outcomes;
  }
}

function toParkedPush(row: ParkedPushRow): ParkedPush {
  return {
    ...toPushView(row),
    replayCount: row.replay_count,
    replayedAt: row.replayed_at?.toISOString() ?? null,
    replayedBy: row.replayed_by,
    discardedAt: row.discarded_at?.toISOString() ?? null,
    discardedBy: row.discarded_by,
    discardReason: row.discard_reason,
  };
}
