import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import type { Kafka, Producer } from 'kafkajs';
import type { Logger } from '@umg/logging';
import { contextFromHeaders, failSpan, SpanKind, traceHeaders, tracer } from '@umg/tracing';
import { PeriodicWorker } from './periodic-worker';

export interface OutboxRelaySettings {
  databaseUrl: string;
  schema: string;
  batchSize: number;
  /** Safety net when a NOTIFY is missed (e.g. during a reconnect). */
  pollIntervalMs: number;
}

interface OutboxRow {
  id: string;
  topic: string;
  message_key: string | null;
  headers: Record<string, string>;
  payload: unknown;
}

/**
 * Publishes committed outbox rows to Kafka in id order with an idempotent producer.
 *
 * One relay per service schema is active at a time (a PostgreSQL advisory lock elects it), so
 * several instances never publish the same row and order per key is kept; the others stand by
 * and take over when the leader's connection drops.
 */
export class OutboxRelay {
  private client: Client | undefined;
  private producer: Producer | undefined;
  private leader = false;
  private readonly worker: PeriodicWorker;
  private lastPublishedAt: Date | undefined;

  constructor(
    private readonly kafka: Kafka,
    private readonly settings: OutboxRelaySettings,
    private readonly logger: Logger,
  ) {
    this.worker = new PeriodicWorker(
      {
        name: 'outbox relay',
        intervalMs: settings.pollIntervalMs,
        firstRoundAfterMs: 0,
        backoff: { baseMs: 200, maxMs: 5_000 },
        failureLevel: 'warn',
      },
      logger,
      () => this.round(),
    );
  }

  start(): void {
    this.worker.start();
  }

  async stop(): Promise<void> {
    await this.worker.stop();
    await this.disconnect();
  }

  get isLeader(): boolean {
    return this.leader;
  }

  get lastPublished(): Date | undefined {
    return this.lastPublishedAt;
  }

  /** One batch, when this instance leads; a standby looks again for the lead every 5 s (or on a NOTIFY). */
  private async round(): Promise<number | void> {
    try {
      await this.connect();
      if (!this.leader) {
        this.leader = await this.tryBecomeLeader();
        if (!this.leader) return 5_000;
        this.logger.info({ schema: this.settings.schema }, 'outbox relay is the leader');
      }
      const published = await this.publishBatch();
      // A full batch: more is waiting.
      if (published === this.settings.batchSize) return 0;
    } catch (error) {
      // A fresh connection (and election) next time; the worker logs and backs off.
      await this.disconnect();
      throw error;
    }
  }

  private async connect(): Promise<void> {
    if (!this.producer) {
      const producer = this.kafka.producer({
        idempotent: true,
        maxInFlightRequests: 1,
        allowAutoTopicCreation: false,
      });
      await producer.connect();
      this.producer = producer;
    }
    if (!this.client) {
      const client = new Client({
        connectionString: this.settings.databaseUrl,
        application_name: `${this.settings.schema}-outbox-relay`,
      });
      client.on('error', (error) => this.logger.warn({ err: error }, 'outbox relay connection error'));
      client.on('notification', () => this.worker.wake());
      await client.connect();
      await client.query(`LISTEN "${this.settings.schema}_outbox"`);
      this.client = client;
    }
  }

  private async tryBecomeLeader(): Promise<boolean> {
    const result = await this.client!.query<{ locked: boolean }>(
      'SELECT pg_try_advisory_lock(hashtext($1)) AS locked',
      [`outbox-relay:${this.settings.schema}`],
    );
    return result.rows[0]?.locked === true;
  }

  private async publishBatch(): Promise<number> {
    const client = this.client!;
    await client.query('BEGIN');
    try {
      const { rows } = await client.query<OutboxRow>(
        `SELECT id, topic, message_key, headers, payload FROM "${this.settings.schema}".outbox
         WHERE published_at IS NULL ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [this.settings.batchSize],
      );
      if (rows.length > 0) {
        await this.send(rows);
        await client.query(
          `UPDATE "${this.settings.schema}".outbox SET published_at = now(), attempts = attempts + 1
           WHERE id = ANY($1::bigint[])`,
          [rows.map((row) => row.id)],
        );
        this.lastPublishedAt = new Date();
      }
      await client.query('COMMIT');
      return rows.length;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
  }

  /**
   * One producer span per message, child of the trace context stored with the row when it was
   * written (the request or message that caused it), not of the relay's own loop; the message
   * carries the producer span's context, so its consumers continue that trace.
   */
  private async send(rows: OutboxRow[]): Promise<void> {
    const byTopic = new Map<string, { key: string | null; value: string; headers: Record<string, string> }[]>();
    const spans = rows.map((row) => {
      const span = tracer.startSpan(
        `send ${row.topic}`,
        {
          kind: SpanKind.PRODUCER,
          attributes: {
            'messaging.system': 'kafka',
            'messaging.operation.type': 'send',
            'messaging.destination.name': row.topic,
            'messaging.message.id': row.headers.ce_id ?? row.id,
          },
        },
        contextFromHeaders(row.headers),
      );
      const propagated = traceHeaders(span);
      const list = byTopic.get(row.topic) ?? [];
      list.push({
        key: row.message_key,
        value: JSON.stringify(row.payload),
        // Without a tracer (e.g. a tool) the message still carries a trace context of its own.
        headers: { ...row.headers, ...(propagated.traceparent ? propagated : { traceparent: newTraceparent() }) },
      });
      byTopic.set(row.topic, list);
      return span;
    });
    try {
      await this.producer!.sendBatch({
        acks: -1,
        topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })),
      });
    } catch (error) {
      for (const span of spans) failSpan(span, error);
      throw error;
    } finally {
      for (const span of spans) span.end();
    }
  }

  private async disconnect(): Promise<void> {
    this.leader = false;
    const client = this.client;
    const producer = this.producer;
    this.client = undefined;
    this.producer = undefined;
    // Closing the connection also releases the advisory lock.
    await client?.end().catch(() => undefined);
    await producer?.disconnect().catch(() => undefined);
  }
}

function newTraceparent(): string {
  return `00-${randomBytes(16).toString('hex')}-${randomBytes(8).toString('hex')}-01`;
}
