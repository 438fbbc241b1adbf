import type { EntityManager } from 'typeorm';
import { cloudEventTypes, type DeadLetterReplay, SchemaValidator } from '@umg/contracts';
import { storableText, type MessageHeaders } from './cloud-event-headers';
import { InboundMessage } from './inbound-message';
import { PoisonMessageError } from './poison-message.error';
import { validPayload } from './valid-payload';

const validator = new SchemaValidator();

/** A dead letter's row as the consumer and the operator use case read it. */
export interface DeadLetterRow {
  id: string;
  consumer_group: string;
  topic: string;
  partition: number;
  offset: string;
  message_key: string | null;
  headers: MessageHeaders;
  value: Buffer | null;
  reason_code: string;
  reason_message: string;
  attempts: number;
  failed_at: Date;
  state: 'open' | 'replayed' | 'discarded';
  replay_count: number;
  replayed_at: Date | null;
  replayed_by: string | null;
  discarded_at: Date | null;
  discarded_by: string | null;
  discard_reason: string | null;
}

/** The message as it was read from its topic, rebuilt from its dead letter. */
export function originalMessage(row: DeadLetterRow): InboundMessage {
  return new InboundMessage(row.topic, row.partition, row.offset, row.message_key, row.headers, row.value);
}

/** A new dead letter, open. */
export async function insertDeadLetter(
  manager: EntityManager,
  schema: string,
  consumerGroup: string,
  message: InboundMessage,
  reason: { code: string; message: string; attempts: number },
): Promise<void> {
  await manager.query(
    `INSERT INTO "${schema}".dead_letter
       (consumer_group, topic, partition, "offset", message_key, headers, value, reason_code, reason_message, attempts)
     VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7, $8, $9, $10)`,
    [
      consumerGroup,
      message.topic,
      message.partition,
      message.offset,
      message.key,
      JSON.stringify(message.headers),
      message.value,
      reason.code,
      storableText(reason.message.slice(0, 2000)),
      reason.attempts,
    ],
  );
}

/** The order a replay message carries, checked against its contract (a bad one is poison). */
export function replayOrder(message: InboundMessage, consumerGroup: string): DeadLetterReplay {
  const order = validPayload<DeadLetterReplay>(message, validator, {
    type: cloudEventTypes.DeadLetterReplay,
    schema: 'DeadLetterReplay',
  });
  if (order.consumerGroup !== consumerGroup) {
    throw new PoisonMessageError('replay_wrong_group', `a replay for ${order.consumerGroup} reached ${consumerGroup}`);
  }
  return order;
}

/**
 * The group a replay order names, read without validating it (undefined when it names none), so
 * a lane sharing the replay topic can skip another lane's orders before any database work.
 */
export function replayOrderGroup(message: InboundMessage): string | undefined {
  if (!message.value || message.value.length > 4_096) return undefined;
  try {
    const group = (JSON.parse(message.value.toString('utf8')) as { consumerGroup?: unknown } | null)?.consumerGroup;
    return typeof group === 'string' ? group : undefined;
  } catch {
    return undefined;
  }
}

/** The dead letter a replay order names, locked for the replay's transaction; undefined when there is none. */
export async function lockDeadLetter(
  manager: EntityManager,
  schema: string,
  consumerGroup: string,
  id: number,
): Promise<DeadLetterRow | undefined> {
  const rows: DeadLetterRow[] = await manager.query(
    `SELECT * FROM "${schema}".dead_letter WHERE id = $1 AND consumer_group = $2 FOR UPDATE`,
    [id, consumerGroup],
  );
  return rows[0];
}

/** A replay went through: the entry is replayed (again, if it had failed once more meanwhile). */
export async function markReplayProcessed(manager: EntityManager, schema: string, id: number): Promise<void> {
  await manager.query(`UPDATE "${schema}".dead_letter SET state = 'replayed' WHERE id = $1 AND state = 'open'`, [id]);
}

/**
 * A replay failed again: the same entry is open again with the new reason, its attempts added up.
 * Returns the entry, or undefined when the order names none of this group's.
 */
export async function reopenDeadLetter(
  manager: EntityManager,
  schema: string,
  consumerGroup: string,
  id: number,
  reason: { code: string; message: string; attempts: number },
): Promise<DeadLetterRow | undefined> {
  // TypeORM answers an UPDATE on PostgreSQL with [rows, affected count].
  const [rows] = (await manager.query(
    `UPDATE "${schema}".dead_letter
        SET state = 'open', reason_code = $3, reason_message = $4, attempts = attempts + $5, failed_at = now()
      WHERE id = $1 AND consumer_group = $2 AND state <> 'discarded'
      RETURNING *`,
    [id, consumerGroup, reason.code, storableText(reason.message.slice(0, 2000)), reason.attempts],
  )) as [DeadLetterRow[], number];
  return rows[0];
}
