import type { EntityManager } from 'typeorm';
import type { InboundMessage } from './inbound-message';

/**
 * Records a message as processed by a consumer group, inside the transaction of its effect.
 * Returns false when it was already processed: redelivery then has no second effect.
 */
export async function recordInInbox(
  manager: EntityManager,
  schema: string,
  consumerGroup: string,
  message: InboundMessage,
): Promise<boolean> {
  const inserted: unknown[] = await manager.query(
    `INSERT INTO "${schema}".inbox (consumer_group, message_id, topic, partition, "offset")
     VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING RETURNING 1`,
    [consumerGroup, message.id, message.topic, message.partition, message.offset],
  );
  return inserted.length === 1;
}
