import type { EachBatchPayload, KafkaMessage } from 'kafkajs';
import type { DataSource, EntityManager } from 'typeorm';
import type { Logger } from '@umg/logging';
import type { EventConsumer } from '../event-consumer';

/**
 * A database that understands the consumer's own statements (inbox, dead letters, outbox): rows
 * staged in a transaction exist only once it commits. Every statement is counted, transaction
 * control included, so the figures are those PostgreSQL would see.
 */
export class FakeDatabase {
  readonly statements: string[] = [];
  readonly inbox = new Map<string, { deadLettered: boolean }>();
  readonly deadLetters: { topic: string; offset: string; reasonCode: string; consumerGroup: string }[] = [];
  readonly effects: string[] = [];

  readonly dataSource = {
    transaction: async <T>(work: (manager: EntityManager) => Promise<T>): Promise<T> => {
      const staged = new FakeTransaction(this);
      this.statements.push('BEGIN');
      try {
        const result = await work(staged.manager);
        this.statements.push('COMMIT');
        staged.commit();
        return result;
      } catch (error) {
        this.statements.push('ROLLBACK');
        throw error;
      }
    },
  } as unknown as DataSource;

  count(kind: RegExp): number {
    return this.statements.filter((statement) => kind.test(statement)).length;
  }
}

class FakeTransaction {
  private readonly inbox = new Map<string, { deadLettered: boolean }>();
  private readonly deadLetters: FakeDatabase['deadLetters'] = [];
  readonly effects: string[] = [];

  constructor(private readonly db: FakeDatabase) {}

  readonly manager = {
    query: (sql: string, params: unknown[] = []): Promise<unknown> => {
      this.db.statements.push(sql);
      return Promise.resolve(this.run(sql, params));
    },
  } as unknown as EntityManager;

  private known(key: string): boolean {
    return this.db.inbox.has(key) || this.inbox.has(key);
  }

  private run(sql: string, params: unknown[]): unknown {
    if (/INSERT INTO "\w+"\.inbox .*unnest/s.test(sql)) {
      const [group, ids] = params as [string, string[]];
      return ids.flatMap((id) => {
        if (this.known(`${group}/${id}`)) return [];
        this.inbox.set(`${group}/${id}`, { deadLettered: false });
        return [{ message_id: id }];
      });
    }
    if (/INSERT INTO "\w+"\.inbox/.test(sql)) {
      const [group, id] = params as [string, string];
      if (this.known(`${group}/${id}`)) return [];
      this.inbox.set(`${group}/${id}`, { deadLettered: params[5] === true });
      return [1];
    }
    if (/INSERT INTO "\w+"\.dead_letter/.test(sql)) {
      const [consumerGroup, topic, , offset] = params as [string, string, number, string];
      this.deadLetters.push({ consumerGroup, topic, offset, reasonCode: params[7] as string });
    }
    return [];
  }

  commit(): void {
    for (const [key, row] of this.inbox) this.db.inbox.set(key, row);
    this.db.deadLetters.push(...this.deadLetters);
    this.db.effects.push(...this.effects);
  }
}

export const logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  child: () => logger,
} as unknown as Logger;

export function kafkaMessage(
  offset: number,
  headers: Record<string, string>,
  value: unknown = { n: offset },
): KafkaMessage {
  return {
    offset: String(offset),
    key: Buffer.from(`key-${offset}`),
    value: Buffer.from(JSON.stringify(value)),
    headers: Object.fromEntries(Object.entries(headers).map(([name, text]) => [name, Buffer.from(text)])),
    timestamp: '0',
    attributes: 0,
  } as KafkaMessage;
}

/** Runs one batch of `topic` through the consumer; returns the offsets it resolved. */
export async function consumeBatch(
  consumer: EventConsumer,
  messages: KafkaMessage[],
  onTopic: string,
): Promise<string[]> {
  const resolved: string[] = [];
  const payload = {
    batch: { topic: onTopic, partition: 0, messages },
    resolveOffset: (offset: string) => resolved.push(offset),
    heartbeat: () => Promise.resolve(),
    isRunning: () => true,
    isStale: () => false,
    commitOffsetsIfNecessary: () => Promise.resolve(),
  } as unknown as EachBatchPayload;
  await consumer['consumeBatch'](payload);
  return resolved;
}

/** Effects as they were committed: one `UPDATE effect` per message applied. */
export function committedEffects(db: FakeDatabase): number {
  // Statements of rolled-back transactions are counted too: effects are what committed.
  let effects = 0;
  let pending = 0;
  for (const statement of db.statements) {
    if (statement === 'BEGIN') pending = 0;
    else if (statement === 'UPDATE effect') pending += 1;
    else if (statement === 'COMMIT') effects += pending;
  }
  return effects;
}
