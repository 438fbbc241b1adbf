import { Kafka, logLevel } from 'kafkajs';
import { type KafkaConnection, kafkaClientOptions } from '@umg/messaging';
import type { Client } from 'pg';

/** Messages ever produced (topics' end offsets) and consumed (groups' committed offsets), summed. */
export interface KafkaTotals {
  produced: number;
  consumed: number;
}

/**
 * Reads the broker's totals as the admin identity. Before and after a window, their difference is
 * what the system produced and consumed in it; the broker's own offsets topic and the bench's
 * pipe baseline (`bench.pipe.*`) are left out. Consumption is what the groups committed, so a
 * group's uncommitted tail at either end shifts the figure by at most one commit interval.
 */
export async function kafkaTotals(connection: KafkaConnection): Promise<KafkaTotals> {
  const kafka = new Kafka({ clientId: 'bench-counts', ...kafkaClientOptions(connection), logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  try {
    const topics = (await admin.listTopics()).filter(
      (topic) => !topic.startsWith('__') && !topic.startsWith('bench.pipe.'),
    );
    let produced = 0;
    for (const topic of topics) {
      for (const partition of await admin.fetchTopicOffsets(topic)) produced += Number(partition.high);
    }
    let consumed = 0;
    const { groups } = await admin.listGroups();
    for (const { groupId } of groups) {
      if (groupId.startsWith('bench-pipe-')) continue;
      for (const topic of await admin.fetchOffsets({ groupId, topics })) {
        for (const partition of topic.partitions) consumed += Math.max(0, Number(partition.offset));
      }
    }
    return { produced, consumed };
  } finally {
    await admin.disconnect();
  }
}

/** Transactions committed and rolled back in a database since its statistics were reset. */
export async function databaseTransactions(
  admin: Client,
  database: string,
): Promise<{ commits: number; rollbacks: number }> {
  // A fresh snapshot: within a transaction the statistics views are otherwise cached.
  await admin.query('SELECT pg_stat_clear_snapshot()');
  const { rows } = await admin.query<{ commits: string; rollbacks: string }>(
    'SELECT xact_commit AS commits, xact_rollback AS rollbacks FROM pg_stat_database WHERE datname = $1',
    [database],
  );
  return { commits: Number(rows[0]?.commits ?? 0), rollbacks: Number(rows[0]?.rollbacks ?? 0) };
}

/** The server processes (backends) serving connections to `database`. */
export async function databaseBackends(admin: Client, database: string): Promise<number[]> {
  const { rows } = await admin.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = $1', [
    database,
  ]);
  return rows.map((row) => row.pid);
}
