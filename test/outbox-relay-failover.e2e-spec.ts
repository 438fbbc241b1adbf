import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { type Consumer, Kafka, logLevel } from 'kafkajs';
import { Client } from 'pg';
import { messagingTablesUp } from '@umg/messaging';
import { repoRoot } from '../tools/dev/local-system';
import { eventually, query } from './support/database';
import { testEnv } from './support/test-env';

const schema = 'relay_failover_test';
const topic = 'relay-failover-test';
const keys = ['a', 'b', 'c', 'd', 'e'];

/** An outbox relay in a process of its own (from dist/, which `npm test` builds), so it can be killed. */
function startRelay(name: string): { child: ChildProcess; leader: Promise<void> } {
  const dist = (path: string) => JSON.stringify(join(repoRoot, 'dist/libs', path));
  const script = `
    const { OutboxRelay } = require(${dist('messaging/src/outbox-relay.js')});
    const { createKafka } = require(${dist('messaging/src/kafka-client.js')});
    const { createLogger } = require(${dist('logging/src/index.js')});
    const logger = createLogger(${JSON.stringify(name)}, 'info');
    const kafka = createKafka(${JSON.stringify(testEnv.kafkaAs('admin'))}, ${JSON.stringify(name)}, logger);
    new OutboxRelay(kafka, { databaseUrl: ${JSON.stringify(testEnv.databaseUrl)}, schema: ${JSON.stringify(schema)},
      batchSize: 20, pollIntervalMs: 200 }, logger).start();`;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  const leader = new Promise<void>((resolve) => {
    let seen = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      if (seen.includes('outbox relay is the leader')) resolve();
    });
  });
  return { child, leader };
}

function kill(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGKILL');
  return exited;
}

/**
 * The outbox relay with several instances: one leader (a PostgreSQL advisory lock) publishes,
 * the others stand by. Killing the leader in the middle of a stream hands the work to a standby;
 * every row is published, and per key the messages arrive in outbox order (a batch the dead
 * leader sent but did not mark may come again — consumers' inboxes absorb that).
 */
describe('outbox relay: the leader is killed, a standby takes over', () => {
  const kafka = new Kafka({
    clientId: 'relay-failover-e2e',
    ...testEnv.kafkaClient('admin'),
    logLevel: logLevel.NOTHING,
  });
  const received: { key: string; n: number; id: string }[] = [];
  const relays: ChildProcess[] = [];
  let consumer: Consumer;

  beforeAll(async () => {
    await query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await query(`CREATE SCHEMA ${schema}`);
    for (const statement of messagingTablesUp(schema)) await query(statement);
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 3 }], waitForLeaders: true });
    await admin.disconnect();
    consumer = kafka.consumer({ groupId: `relay-failover-${randomUUID()}` });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        const body = JSON.parse(message.value!.toString()) as { key: string; n: number };
        received.push({ ...body, id: message.headers!.ce_id!.toString() });
      },
    });
  }, 60_000);

  afterAll(async () => {
    await Promise.all(relays.map(kill));
    await consumer?.disconnect();
    await query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  });

  it('publishes every row, per key in order, across the leader’s death', async () => {
    const first = startRelay('relay-one');
    relays.push(first.child);
    await first.leader;
    const second = startRelay('relay-two');
    relays.push(second.child);
    let secondLeads = false;
    void second.leader.then(() => (secondLeads = true));

    const db = new Client({ connectionString: testEnv.databaseUrl });
    await db.connect();
    const next: Record<string, number> = {};
    const write = async (rows: number) => {
      for (let written = 0; written < rows; written += 10) {
        await db.query('BEGIN');
        for (let i = 0; i < 10; i++) {
          const key = keys[(written + i) % keys.length]!;
          next[key] = (next[key] ?? 0) + 1;
          const id = randomUUID();
          await db.query(
            `INSERT INTO ${schema}.outbox (message_id, topic, message_key, message_type, headers, payload)
             VALUES ($1, $2, $3, 'test', $4, $5)`,
            [id, topic, key, JSON.stringify({ ce_id: id }), JSON.stringify({ key, n: next[key] })],
          );
        }
        await db.query('COMMIT');
      }
    };
    try {
      await write(150);
      // The first is publishing, the second standing by; then the first dies as a crashed pod does.
      await eventually(
        () => query<{ count: string }>(`SELECT count(*) FROM ${schema}.outbox WHERE published_at IS NOT NULL`),
        (rows) => Number(rows[0]!.count) > 0,
      );
      expect(secondLeads).toBe(false);
      await kill(first.child);
      await write(150);
      await second.leader;
    } finally {
      await db.end();
    }

    await eventually(
      () => query<{ count: string }>(`SELECT count(*) FROM ${schema}.outbox WHERE published_at IS NULL`),
      (rows) => rows[0]!.count === '0',
      60_000,
    );
    const ids = await query<{ message_id: string }>(`SELECT message_id FROM ${schema}.outbox`);
    await eventually(
      () => Promise.resolve(new Set(received.map((message) => message.id)).size),
      (count) => count === ids.length,
    );
    expect(ids).toHaveLength(300);
    for (const key of keys) {
      const firstSeen: number[] = [];
      for (const message of received.filter((candidate) => candidate.key === key)) {
        if (!firstSeen.includes(message.n)) firstSeen.push(message.n);
      }
      expect(firstSeen).toEqual(Array.from({ length: next[key]! }, (_, index) => index + 1));
    }
  });
});
