import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { kafkaTopics } from '@umg/contracts';
import { type ChainHead, parseHeads } from '@umg/exchange-log';
import { type KafkaConnection, kafkaClientOptions } from '@umg/messaging';

/**
 * Every head still on `exchange-log.heads` (compacted: the newest per service, plus any not yet
 * compacted), read to the end of each partition as it is now. Nothing is committed.
 */
export async function headsFromKafka(connection: KafkaConnection): Promise<ChainHead[]> {
  const kafka = new Kafka({
    clientId: 'exchange-log-verify',
    ...kafkaClientOptions(connection),
    logLevel: logLevel.NOTHING,
  });
  const admin = kafka.admin();
  await admin.connect();
  const ends = new Map<number, bigint>();
  try {
    for (const { partition, high, low } of await admin.fetchTopicOffsets(kafkaTopics.exchangeLogHeads)) {
      if (BigInt(high) > BigInt(low)) ends.set(partition, BigInt(high));
    }
  } finally {
    await admin.disconnect();
  }
  const heads: ChainHead[] = [];
  if (ends.size === 0) return heads;
  const consumer = kafka.consumer({ groupId: `exchange-log-verify-${randomUUID()}` });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic: kafkaTopics.exchangeLogHeads, fromBeginning: true });
    await new Promise<void>((done, fail) => {
      const timer = setTimeout(() => fail(new Error('exchange-log.heads not read to its end within 60 s')), 60_000);
      void consumer.run({
        autoCommit: false,
        eachMessage: async ({ partition, message }) => {
          heads.push(...parseHeads(message.value?.toString() ?? ''));
          if (BigInt(message.offset) + 1n >= (ends.get(partition) ?? 0n)) ends.delete(partition);
          if (ends.size === 0) {
            clearTimeout(timer);
            done();
          }
        },
      });
    });
  } finally {
    await consumer.disconnect().catch(() => undefined);
  }
  return heads;
}
