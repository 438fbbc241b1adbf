import { type Admin, Kafka, logLevel } from 'kafkajs';
import { type KafkaConnection, kafkaClientOptions } from '@umg/messaging';
import type { Client } from 'pg';

/** Messages ever produced (topics' end offsets) and consumed (groups' committed offsets), summed. */
export interface KafkaTotals {
  produced: number;
  consumed: number;
}

/**
 * Reads the broker's totals as the admin identity, on one connection kept for the run (a loaded
 * machine makes new connections slow). Before and after a window, their difference is what the
 * system produced and consumed in it; the broker's own offsets topic and the bench's pipe
 * baseline (`bench.pipe.*`) are left out. Consumption is what the groups committed, so a group's
 * uncommitted tail at either end shifts the figure by at most one commit interval.
 */
export class KafkaCounts {
  private readonly admin: Admin;

  constructor(connection: KafkaConnection) {
    const options = kafkaClientOptions(connection);
    this.admin = new Kafka({
      clientId: 'bench-counts',
      ...options,
      connectionTimeout: 15_000,
      logLevel: logLevel.NOTHING,
    }).admin();
  }

  connect(): Promise<void> {
    return this.admin.connect();
  }

  /** The totals now, or undefined when the broker did not answer (the report then shows none). */
  async totals(): Promise<KafkaTotals | undefined> {
    try {
      const topics = (await this.admin.listTopics()).filter(
        (topic) => !topic.startsWith('__') && !topic.startsWith('bench.pipe.'),
      );
      let produced = 0;
      for (const topic of topics) {
        for (const partition of await this.admin.fetchTopicOffsets(topic)) produced += Number(partition.high);
      }
      let consumed = 0;
      const { groups } = await this.admin.listGroups();
      for (const { groupId } of groups) {
        if (groupId.startsWith('bench-pipe-')) continue;
        for (const topic of await this.admin.fetchOffsets({ groupId, topics })) {
          for (const partition of topic.partitions) consumed += Math.max(0, Number(partition.offset));
        }
      }
      return { produced, consumed };
    } catch (error) {
      console.warn(`bench: Kafka totals not read: ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    }
  }

  disconnect(): Promise<void> {
    return this.admin.disconnect();
  }
}

/** Transactions committed and rolled back in a database since its statistics were reset. */
export async function databaseTransactions(
  admin: Client,
  database: string,
): Promise<{ commits: number; rollbacks: number }> {
  try {
    // A fresh snapshot: the statistics views are otherwise cached for the session's transaction.
    await admin.query('SELECT pg_stat_clear_snapshot()');
    const { rows } = await admin.query<{ commits: string; rollbacks: string }>(
      'SELECT xact_commit AS commits, xact_rollback AS rollbacks FROM pg_stat_database WHERE datname = $1',
      [database],
    );
    return { commits: Number(rows[0]?.commits ?? NaN), rollbacks: Number(rows[0]?.rollbacks ?? NaN) };
  } catch (error) {
    console.warn(`bench: transaction counts not read: ${error instanceof Error ? error.message : String(error)}`);
    return { commits: NaN, rollbacks: NaN };
  }
}

/** The server processes (backends) serving connections to `database`. */
export async function databaseBackends(admin: Client, database: string): Promise<number[]> {
  const { rows } = await admin.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = $1', [
    database,
  ]);
  return rows.map((row) => row.pid);
}
