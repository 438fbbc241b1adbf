import type { DataSource } from 'typeorm';
import { cloudEventTypes, type DeadLetterReplay } from '@umg/contracts';
import type { MessageHeaders } from './cloud-event-headers';
import type { DeadLetterRow } from './dead-letter-store';
import type { Outbox } from './outbox';

export type DeadLetterState = DeadLetterRow['state'];

export interface DeadLetterFilter {
  topic?: string;
  consumerGroup?: string;
  reasonCode?: string;
  state?: DeadLetterState;
  /** The `nextCursor` of the previous page. */
  cursor?: string;
  limit: number;
}

export interface DeadLetterSummary {
  id: number;
  consumerGroup: string;
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  messageType: string | null;
  reasonCode: string;
  reasonMessage: string;
  attempts: number;
  failedAt: string;
  state: DeadLetterState;
  replayCount: number;
  replayedAt: string | null;
  replayedBy: string | null;
  discardedAt: string | null;
  discardedBy: string | null;
  discardReason: string | null;
}

export interface DeadLetterDetail extends DeadLetterSummary {
  messageId: string;
  headers: MessageHeaders;
  /** The value as JSON when it is JSON, else null (see `payloadBase64`). */
  payload: unknown;
  /** The value as base64 when it is not JSON (or empty), else null. */
  payloadBase64: string | null;
}

export interface DeadLetterOutcome {
  id: number;
  outcome: 'replayed' | 'discarded' | 'not_found' | 'already_discarded' | 'not_open';
}

/**
 * The operator's side of a service's dead letters: list, inspect, replay, discard. A replay is an
 * order through the outbox to the group's own replay topic, so the consumer processes the message
 * again through its normal path (inbox, handler); a discard needs a reason. Both name the operator.
 */
export class DeadLetters {
  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: Outbox,
    private readonly settings: { schema: string; replayTopic: string },
  ) {}

  async list(filter: DeadLetterFilter): Promise<{ items: DeadLetterSummary[]; nextCursor: string | null }> {
    const before = filter.cursor === undefined ? null : Number(filter.cursor);
    const rows: DeadLetterRow[] = await this.dataSource.query(
      `SELECT ${summaryColumns} FROM "${this.settings.schema}".dead_letter
        WHERE ($1::text IS NULL OR topic = $1) AND ($2::text IS NULL OR consumer_group = $2)
          AND ($3::text IS NULL OR reason_code = $3) AND ($4::text IS NULL OR state = $4)
          AND ($5::bigint IS NULL OR id < $5)
        ORDER BY id DESC LIMIT $6`,
      [
        filter.topic ?? null,
        filter.consumerGroup ?? null,
        filter.reasonCode ?? null,
        filter.state ?? null,
        Number.isSafeInteger(before) ? before : null,
        filter.limit + 1,
      ],
    );
    const page = rows.slice(0, filter.limit);
    return {
      items: page.map(toSummary),
      nextCursor: rows.length > filter.limit ? page[page.length - 1]!.id : null,
    };
  }

  async get(id: number): Promise<DeadLetterDetail | undefined> {
    const [row] = (await this.dataSource.query(`SELECT * FROM "${this.settings.schema}".dead_letter WHERE id = $1`, [
      id,
    ])) as DeadLetterRow[];
    if (!row) return undefined;
    const json = asJson(row.value);
    return {
      ...toSummary(row),
      messageId: row.headers.ce_id ?? `${row.topic}/${row.partition}/${row.offset}`,
      headers: row.headers,
      payload: json.ok ? json.value : null,
      payloadBase64: json.ok ? null : (row.value ?? Buffer.alloc(0)).toString('base64'),
    };
  }

  /**
   * Orders a replay of each entry not discarded, in one transaction with its record (who, when,
   * how many times), addressed to the consumer group that dead-lettered it (a service's lanes
   * share its replay topic). An entry replayed before may be replayed again: the inbox makes that harmless.
   */
  replay(ids: number[], operator: string): Promise<DeadLetterOutcome[]> {
    const { schema, replayTopic } = this.settings;
    return this.dataSource.transaction(async (manager) => {
      const rows: { id: string; message_key: string | null; state: DeadLetterState; consumer_group: string }[] =
        await manager.query(
          `SELECT id, message_key, state, consumer_group FROM "${schema}".dead_letter WHERE id = ANY($1::bigint[]) ORDER BY id FOR UPDATE`,
          [ids],
        );
      const outcomes = new Map<number, DeadLetterOutcome['outcome']>();
      const replayable = rows.filter((row) => row.state !== 'discarded');
      for (const row of rows)
        outcomes.set(Number(row.id), row.state === 'discarded' ? 'already_discarded' : 'replayed');
      if (replayable.length > 0) {
        await manager.query(
          `UPDATE "${schema}".dead_letter
              SET state = 'replayed', replayed_at = now(), replayed_by = $2, replay_count = replay_count + 1
            WHERE id = ANY($1::bigint[])`,
          [replayable.map((row) => row.id), operator],
        );
        await this.outbox.enqueue(
          manager,
          replayable.map((row) => ({
            topic: replayTopic,
            key: row.message_key ?? row.id,
            type: cloudEventTypes.DeadLetterReplay,
            payload: {
              deadLetterId: Number(row.id),
              consumerGroup: row.consumer_group,
              replayedBy: operator,
            } satisfies DeadLetterReplay,
          })),
        );
      }
      return ids.map((id) => ({ id, outcome: outcomes.get(id) ?? 'not_found' }));
    });
  }

  /** Discards each open entry with the operator's reason; it is never replayed after that. */
  discard(ids: number[], operator: string, reason: string): Promise<DeadLetterOutcome[]> {
    const { schema } = this.settings;
    return this.dataSource.transaction(async (manager) => {
      const rows: { id: string; state: DeadLetterState }[] = await manager.query(
        `SELECT id, state FROM "${schema}".dead_letter WHERE id = ANY($1::bigint[]) ORDER BY id FOR UPDATE`,
        [ids],
      );
      const open = rows.filter((row) => row.state === 'open').map((row) => row.id);
      if (open.length > 0) {
        await manager.query(
          `UPDATE "${schema}".dead_letter
              SET state = 'discarded', discarded_at = now(), discarded_by = $2, discard_reason = $3
            WHERE id = ANY($1::bigint[])`,
          [open, operator, reason],
        );
      }
      const states = new Map(rows.map((row) => [Number(row.id), row.state]));
      return ids.map((id): DeadLetterOutcome => {
        const state = states.get(id);
        if (state === undefined) return { id, outcome: 'not_found' };
        if (state === 'open') return { id, outcome: 'discarded' };
        return { id, outcome: state === 'discarded' ? 'already_discarded' : 'not_open' };
      });
    });
  }
}

const summaryColumns = `id, consumer_group, topic, partition, "offset", message_key, headers, reason_code, reason_message,
  attempts, failed_at, state, replay_count, replayed_at, replayed_by, discarded_at, discarded_by, discard_reason`;

function toSummary(row: DeadLetterRow): DeadLetterSummary {
  return {
    id: Number(row.id),
    consumerGroup: row.consumer_group,
    topic: row.topic,
    partition: row.partition,
    offset: String(row.offset),
    key: row.message_key,
    messageType: row.headers.ce_type ?? null,
    reasonCode: row.reason_code,
    reasonMessage: row.reason_message,
    attempts: row.attempts,
    failedAt: row.failed_at.toISOString(),
    state: row.state,
    replayCount: row.replay_count,
    replayedAt: row.replayed_at?.toISOString() ?? null,
    replayedBy: row.replayed_by,
    discardedAt: row.discarded_at?.toISOString() ?? null,
    discardedBy: row.discarded_by,
    discardReason: row.discard_reason,
  };
}

function asJson(value: Buffer | null): { ok: true; value: unknown } | { ok: false } {
  if (!value || value.length === 0) return { ok: false };
  try {
    return { ok: true, value: JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(value)) as unknown };
  } catch {
    return { ok: false };
  }
}
