import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Kafka, logLevel } from 'kafkajs';
import { type KafkaConnection, kafkaClientOptions } from '@umg/messaging';
import { Client } from 'pg';
import { forkHelper } from './children';

export interface HttpLoadRequest {
  url: string;
  headers: Record<string, string>;
  connections: number;
  seconds: number;
}

export interface HttpLoadFigures {
  /** 2xx answers per second. */
  perSecond: number;
  requests: number;
  latencyMs: { p50: number; p99: number; max: number };
  /** Connection errors, timeouts and non-2xx answers. */
  errors: number;
}

/**
 * GETs with `connections` keep-alive connections for `seconds`, from the load client's own process
 * (http-load.ts: autocannon), so the client's cost is not the bench's nor the server's limit.
 */
export async function httpLoad(
  url: string,
  headers: Record<string, string>,
  connections: number,
  seconds: number,
): Promise<HttpLoadFigures> {
  const child = forkHelper('http-load');
  try {
    const answer = new Promise<HttpLoadFigures>((resolve, reject) => {
      child.once('message', (figures: HttpLoadFigures) => resolve(figures));
      child.once('exit', (code) => reject(new Error(`http load client exited (${code}) without figures`)));
    });
    child.send({ url, headers, connections, seconds } satisfies HttpLoadRequest);
    return await answer;
  } finally {
    if (child.exitCode === null) child.kill();
  }
}

/** A bare node:http server answering the district API's read route with a body of the same size. */
export async function bareHttpServer(body: string): Promise<{ url: string; stop: () => Promise<void> }> {
  const server = createServer((request, response) => {
    if (!request.url?.startsWith('/v1/applications/')) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
    response.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * PostgreSQL's own rate for a comparable write: pgbench's simple-update script (a few updates
 * and an insert per transaction, like one lifecycle step) on a scratch database.
 */
export async function pgbenchTps(adminUrl: string, seconds: number): Promise<{ tps: number; note: string }> {
  const database = 'umg_bench_pgbench';
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${database}`);
  await admin.query(`CREATE DATABASE ${database}`);
  await admin.end();
  const url = new URL(adminUrl);
  const args = ['-h', url.hostname, '-p', url.port || '5432', '-U', url.username || 'postgres'];
  try {
    execFileSync('pgbench', [...args, '-i', '-q', '-s', '1', database], { stdio: 'ignore' });
    const output = execFileSync('pgbench', [...args, '-N', '-c', '4', '-j', '2', '-T', String(seconds), database], {
      encoding: 'utf8',
    });
    const tps = Number(/tps = ([\d.]+)/.exec(output)?.[1] ?? 0);
    return { tps, note: `pgbench -N (simple update), 4 clients, ${seconds} s` };
  } catch (error) {
    return { tps: 0, note: `pgbench failed: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}` };
  } finally {
    const cleanup = new Client({ connectionString: adminUrl });
    await cleanup.connect();
    await cleanup.query(`DROP DATABASE IF EXISTS ${database}`);
    await cleanup.end();
  }
}

/**
 * A bare kafkajs pipe on the same broker: one producer sending 1 KiB messages one at a time
 * (acks=all, idempotent, like the outbox relay) and one consumer; messages per second end to end.
 */
export async function kafkaPipe(
  /** The admin identity: the pipe makes a topic of its own. */
  connection: KafkaConnection,
  messages: number,
): Promise<{ perSecond: number; note: string }> {
  const kafka = new Kafka({ clientId: 'bench-pipe', ...kafkaClientOptions(connection), logLevel: logLevel.NOTHING });
  const topic = `bench.pipe.${randomUUID().slice(0, 8)}`;
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 6 }], waitForLeaders: true });
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  const consumer = kafka.consumer({ groupId: `bench-pipe-${randomUUID()}` });
  await Promise.all([producer.connect(), consumer.connect()]);
  await consumer.subscribe({ topic, fromBeginning: true });
  let received = 0;
  let resolveWhen = messages;
  let resolveAll: () => void = () => undefined;
  const all = new Promise<void>((resolve) => (resolveAll = resolve));
  await consumer.run({
    eachMessage: async () => {
      received += 1;
      if (received === resolveWhen) resolveAll();
    },
  });
  const value = 'x'.repeat(1024);
  const started = Date.now();
  // Eight concurrent senders, each one message per request, as eight outbox rows in flight would be;
  // for at most 30 s (a loaded machine would otherwise take minutes over the count).
  let next = 0;
  const sendUntil = started + 30_000;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < messages && Date.now() < sendUntil) {
        next += 1;
        await producer.send({ topic, acks: -1, messages: [{ key: String(next % 100), value }] });
      }
    }),
  );
  const sent = next;
  if (received < sent) resolveWhen = sent;
  await Promise.race([
    received >= sent ? Promise.resolve() : all,
    new Promise((resolve) => setTimeout(resolve, 30_000)),
  ]);
  const perSecond = received / ((Date.now() - started) / 1000);
  await Promise.all([producer.disconnect(), consumer.disconnect()]);
  await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
  await admin.disconnect();
  return {
    perSecond,
    note: `${next} × 1 KiB (sent for at most 30 s), acks=all, one message per send, 8 senders, 6 partitions`,
  };
}
