import type { EntityManager } from 'typeorm';
import type { InboundMessage } from './inbound-message';

/**
 * Records a message as processed by a consumer group, inside the transaction of its effect.
 * Returns false when it was already processed: redelivery then has no second effect. A message
 * given up on is recorded as `deadLettered`, so that only an operator's replay processes it.
 */
export async function recordInInbox(
  manager: EntityManager,
  schema: string,
  consumerGroup: string,
  message: InboundMessage,
  outcome: 'processed' | 'dead_lettered' = 'processed',
): Promise<boolean> {
  const inserted: unknown[] = await manager.query(
    `INSERT INTO "${schema}".inbox (consumer_group, message_id, topic, partition, "offset", dead_lettered)
     VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING RETURNING 1`,
    [consumerGroup, message.id, message.topic, message.partition, message.offset, outcome === 'dead_lettered'],
  );
  return inserted.length === 1;
}

/**
 * Records a chunk of messages as processed in one statement, inside the transaction of their
 * effects. Returns the ids not processed before: only their handlers may run (a message repeated
 * within the chunk is returned once).
 */
export async function recordBatchInInbox(
  manager: EntityManager,
  schema: string,
  consumerGroup: string,
  messages: InboundMessage[],
): Promise<Set<string>> {
  if (messages.length === 0) return new Set();
  const inserted: { message_id: string }[] = await manager.query(
    `INSERT INTO "${schema}".inbox (consumer_group, message_id, topic, partition, "offset")
     SELECT $1, m.message_id, m.topic, m.partition, m."offset"
       FROM unnest($2::text[], $3::text[], $4::int[], $5::bigint[]) AS m (message_id, topic, partition, "offset")
     ON CONFLICT DO NOTHING RETURNING message_id`,
    [
      consumerGroup,
      messages.map((message) => message.id),
      messages.map((message) => message.topic),
      messages.map((message) => message.partition),
      messages.map((message) => message.offset),
    ],
  );
  return new Set(inserted.map((row) => row.message_id));
}

/**
 * Claims a dead-lettered message for a replay, inside the transaction of its effect: true when it
 * has not been processed since it was dead-lettered (it is then recorded as processed); false when
 * a replay before this one already processed it, so a replay of a replay has no second effect.
 */
export async function claimForReplay(
  manager: EntityManager,
  schema: string,
  consumerGroup: string,
  message: InboundMessage,
): Promise<boolean> {
  const claimed: unknown[] = await manager.query(
    `INSERT INTO "${schema}".inbox AS inbox (consumer_group, message_id, topic, partition, "offset")
     VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (consumer_group, message_id) DO UPDATE SET dead_lettered = false, processed_at = now()
       WHERE inbox.dead_lettered
     RETURNING 1`,
    [consumerGroup, message.id, message.topic, message.partition, message.offset],
  );
  return claimed.length === 1;
}
