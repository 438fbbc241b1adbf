import type { Consumer, EachBatchPayload, Kafka, KafkaMessage } from 'kafkajs';
import type { DataSource, EntityManager } from 'typeorm';
import { runWithCorrelation, type Logger } from '@umg/logging';
import { contextFromHeaders, inSpan, SpanKind } from '@umg/tracing';
import { isTransientDatabaseError } from '@umg/persistence';
import { backoffDelay, sleep } from './backoff';
import { readHeaders, storableText } from './cloud-event-headers';
import { deadLetterEntry } from './dead-letter-entry';
import {
  insertDeadLetter,
  lockDeadLetter,
  markReplayProcessed,
  originalMessage,
  reopenDeadLetter,
  replayOrder,
} from './dead-letter-store';
import { crashHereIfArmed } from './fault-injection';
import { claimForReplay, recordInInbox } from './inbox';
import { InboundMessage } from './inbound-message';
import type { Outbox } from './outbox';
import { PoisonMessageError } from './poison-message.error';

/** Applies one message's effect using the given transaction's manager. */
export type MessageHandler = (message: InboundMessage, manager: EntityManager) => Promise<void>;

export interface EventConsumerSettings {
  groupId: string;
  schema: string;
  /** Topic name → handler. */
  handlers: Record<string, MessageHandler>;
  deadLetterTopic: string;
  /**
   * The group's own replay topic: an operator's replay order for one of its dead letters, which
   * is processed by the original topic's handler (see `applyInTransaction`).
   */
  replayTopic?: string;
  /** Attempts for a message whose handler fails, before it is dead-lettered. */
  maxAttempts: number;
  partitionsConsumedConcurrently: number;
  /**
   * Messages of one partition applied in one database transaction (each in its own savepoint,
   * with its own inbox row); 1 gives a transaction per message.
   */
  transactionBatchSize?: number;
  /** How soon partitions of a crashed instance go to the others (a clean stop hands them over at once). */
  sessionTimeoutMs?: number;
}

export type ConsumerState = 'stopped' | 'connecting' | 'running' | 'crashed';

/**
 * A thin consumer on kafkajs: each message is processed in a database transaction together
 * with its inbox record (a batch of a partition's messages shares one transaction, each in its
 * own savepoint, so a commit is paid per batch, not per message); failures are retried a bounded number of times and then dead-lettered
 * (through the outbox), so a poison message never blocks its partition. Offsets are committed
 * only after the transaction commits; a redelivery after a crash is absorbed by the inbox.
 */
export class EventConsumer {
  private consumer: Consumer | undefined;
  private stopping = false;
  private starting: Promise<void> | undefined;
  private currentState: ConsumerState = 'stopped';
  /** Messages being processed now: stop() waits for them before the database may close. */
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly kafka: Kafka,
    private readonly dataSource: DataSource,
    private readonly outbox: Outbox,
    private readonly settings: EventConsumerSettings,
    private readonly logger: Logger,
  ) {}

  get state(): ConsumerState {
    return this.currentState;
  }

  /** Starts in the background and keeps trying while Kafka is unreachable. */
  start(): void {
    this.stopping = false;
    this.starting = this.connectUntilRunning();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await this.starting;
    // disconnect() commits the offsets of finished messages. It does not always wait for the ones
    // in flight (not while kafkajs restarts its runner), so we do: the database closes after this.
    await this.consumer?.disconnect().catch(() => undefined);
    await Promise.allSettled([...this.inFlight]);
    this.consumer = undefined;
    this.currentState = 'stopped';
  }

  private async connectUntilRunning(): Promise<void> {
    for (let attempt = 1; !this.stopping; attempt++) {
      try {
        this.currentState = 'connecting';
        await this.run();
        return;
      } catch (error) {
        this.currentState = 'crashed';
        this.logger.warn({ err: error, attempt }, 'consumer could not start; retrying');
        await this.consumer?.disconnect().catch(() => undefined);
        this.consumer = undefined;
        await sleep(backoffDelay(attempt, 500, 10_000) + 250);
      }
    }
  }

  private async run(): Promise<void> {
    const consumer = this.kafka.consumer({
      groupId: this.settings.groupId,
      sessionTimeout: this.settings.sessionTimeoutMs ?? 30_000,
      heartbeatInterval: Math.min(3_000, Math.floor((this.settings.sessionTimeoutMs ?? 30_000) / 3)),
      allowAutoTopicCreation: false,
      retry: { retries: 5, initialRetryTime: 300, maxRetryTime: 5_000 },
    });
    this.consumer = consumer;
    consumer.on(consumer.events.GROUP_JOIN, () => {
      this.currentState = 'running';
    });
    consumer.on(consumer.events.CRASH, (event) => {
      this.currentState = 'crashed';
      this.logger.error({ err: event.payload.error, restart: event.payload.restart }, 'consumer crashed');
      // kafkajs restarts by itself after retriable errors; for the others we start over.
      if (!event.payload.restart && !this.stopping) {
        this.starting = sleep(1_000).then(() => this.connectUntilRunning());
      }
    });
    await consumer.connect();
    const topics = Object.keys(this.settings.handlers);
    if (this.settings.replayTopic) topics.push(this.settings.replayTopic);
    await consumer.subscribe({ topics, fromBeginning: true });
    await consumer.run({
      partitionsConsumedConcurrently: this.settings.partitionsConsumedConcurrently,
      eachBatchAutoResolve: false,
      eachBatch: async (payload) => {
        const work = this.consumeBatch(payload);
        this.inFlight.add(work);
        try {
          await work;
        } finally {
          this.inFlight.delete(work);
        }
      },
    });
  }

  private async consumeBatch({
    batch,
    resolveOffset,
    heartbeat,
    isRunning,
    isStale,
    commitOffsetsIfNecessary,
  }: EachBatchPayload): Promise<void> {
    const messages = batch.messages.map((message) => this.toInbound(batch.topic, batch.partition, message));
    const size = Math.max(1, this.settings.transactionBatchSize ?? 50);
    let index = 0;
    while (index < messages.length && isRunning() && !isStale()) {
      const chunk = messages.slice(index, index + size);
      const applied = size > 1 ? await this.applyTogether(chunk, heartbeat) : 0;
      if (applied > 0) crashHereIfArmed();
      for (const message of chunk.slice(0, applied)) resolveOffset(message.offset);
      index += applied;
      if (applied < chunk.length) {
        // The fast path stopped at this message: the careful path retries it or dead-letters it.
        await this.consume(messages[index]!);
        resolveOffset(messages[index]!.offset);
        index += 1;
      }
      await heartbeat();
      await commitOffsetsIfNecessary();
    }
  }

  /**
   * The fast path: the chunk's messages in one transaction, each in a savepoint with its inbox
   * row, so one commit covers many messages. A poison message is dead-lettered in place; at the
   * first other failure the messages before it are committed and the count of them returned.
   */
  private async applyTogether(chunk: InboundMessage[], heartbeat: () => Promise<void>): Promise<number> {
    try {
      return await this.dataSource.transaction(async (manager) => {
        let applied = 0;
        for (const message of chunk) {
          const handled = await this.inMessageSpan(message, async () => {
            await manager.query('SAVEPOINT umg_message');
            try {
              await this.applyInTransaction(manager, message);
              await manager.query('RELEASE SAVEPOINT umg_message');
              return true;
            } catch (error) {
              await manager.query('ROLLBACK TO SAVEPOINT umg_message');
              if (error instanceof PoisonMessageError) {
                await this.recordDeadLetter(manager, message, error.reasonCode, error.message, 1);
                return true;
              }
              this.logger.debug({ err: error, topic: message.topic }, 'message failed in a batch; retrying alone');
              return false;
            }
          });
          if (!handled) break;
          applied += 1;
          // Keeps the group membership alive through a long batch (sent only when due).
          await heartbeat();
        }
        return applied;
      });
    } catch (error) {
      // Shutting down: leave these offsets uncommitted for whoever consumes the partition next.
      if (this.stopping) throw error;
      // The transaction itself failed (the database went away, the commit failed): none applied.
      this.logger.debug({ err: error }, 'batch transaction failed; retrying message by message');
      return 0;
    }
  }

  private toInbound(topic: string, partition: number, message: KafkaMessage): InboundMessage {
    return new InboundMessage(
      topic,
      partition,
      message.offset,
      message.key ? storableText(message.key.toString()) : null,
      readHeaders(message.headers),
      message.value,
    );
  }

  /**
   * Runs a message's work with its correlation id and in a consumer span that continues the trace
   * the message carries, so what the handler writes, calls and logs joins that trace.
   */
  private inMessageSpan<T>(message: InboundMessage, work: () => Promise<T>): Promise<T> {
    const correlationId = message.headers.ce_correlationid ?? message.id;
    return runWithCorrelation({ correlationId }, () =>
      inSpan(
        `process ${message.topic}`,
        {
          kind: SpanKind.CONSUMER,
          parent: contextFromHeaders(message.headers),
          attributes: {
            'messaging.system': 'kafka',
            'messaging.operation.type': 'process',
            'messaging.destination.name': message.topic,
            'messaging.destination.partition.id': String(message.partition),
            'messaging.kafka.offset': Number(message.offset),
            'messaging.consumer.group.name': this.settings.groupId,
            'messaging.message.id': message.id,
          },
        },
        work,
      ),
    );
  }

  private consume(message: InboundMessage): Promise<void> {
    return this.inMessageSpan(message, () => this.process(message));
  }

  private async process(message: InboundMessage): Promise<void> {
    let attempts = 0;
    let outages = 0;
    for (;;) {
      try {
        await this.dataSource.transaction((manager) => this.applyInTransaction(manager, message));
        crashHereIfArmed();
        return;
      } catch (error) {
        // Shutting down (the database may be closing under us): not the message's fault either.
        // Leave its offset uncommitted for whoever consumes the partition next.
        if (this.stopping) throw error;
        if (isTransientDatabaseError(error)) {
          // The database is away: not the message's fault. Wait a little, then let kafkajs
          // redeliver (the offset stays uncommitted) rather than dead-letter good messages.
          outages += 1;
          if (outages > 10) throw error;
          await sleep(backoffDelay(outages, 200, 2_000) + 100);
          continue;
        }
        attempts += 1;
        if (error instanceof PoisonMessageError) {
          return this.deadLetter(message, error.reasonCode, error.message, attempts);
        }
        if (attempts >= this.settings.maxAttempts) {
          const reason = error instanceof Error ? error.message : String(error);
          return this.deadLetter(message, 'processing_failed', reason, attempts);
        }
        this.logger.warn({ err: error, attempts, topic: message.topic }, 'message failed; retrying');
        await sleep(backoffDelay(attempts, 100, 1_000));
      }
    }
  }

  /**
   * A message's effect with its inbox record. A replay order (from the group's replay topic)
   * rebuilds the dead-lettered message from its row and runs the original topic's handler on it,
   * claiming its inbox row: the normal path, and no second effect if it was processed already.
   */
  private async applyInTransaction(manager: EntityManager, message: InboundMessage): Promise<void> {
    const { schema, groupId, handlers, replayTopic } = this.settings;
    if (message.topic !== replayTopic) {
      if (await recordInInbox(manager, schema, groupId, message)) await handlers[message.topic]!(message, manager);
      return;
    }
    const order = replayOrder(message, groupId);
    const row = await lockDeadLetter(manager, schema, groupId, order.deadLetterId);
    if (!row) throw new PoisonMessageError('replay_unknown', `${groupId} has no dead letter ${order.deadLetterId}`);
    // Discarded after the replay was ordered: the operator's last word wins.
    if (row.state === 'discarded') return;
    const original = originalMessage(row);
    const handler = handlers[original.topic];
    if (!handler) {
      throw new PoisonMessageError('replay_not_possible', `${groupId} does not consume ${original.topic}`);
    }
    if (await claimForReplay(manager, schema, groupId, original)) {
      await handler(original, manager);
      this.logger.info({ deadLetterId: row.id, topic: original.topic, by: order.replayedBy }, 'dead letter replayed');
    }
    await markReplayProcessed(manager, schema, order.deadLetterId);
  }

  private async deadLetter(
    message: InboundMessage,
    reasonCode: string,
    reasonMessage: string,
    attempts: number,
  ): Promise<void> {
    await this.dataSource.transaction((manager) =>
      this.recordDeadLetter(manager, message, reasonCode, reasonMessage, attempts),
    );
  }

  /** The dead letter (table, topic through the outbox) with the message's inbox row, in the given transaction. */
  private async recordDeadLetter(
    manager: EntityManager,
    message: InboundMessage,
    reasonCode: string,
    reasonMessage: string,
    attempts: number,
  ): Promise<void> {
    const { schema, groupId, deadLetterTopic } = this.settings;
    if (!(await recordInInbox(manager, schema, groupId, message, 'dead_lettered'))) return;
    const reason = { code: reasonCode, message: reasonMessage, attempts };
    // A replay that failed again reopens its dead letter (one entry per message, attempts added up);
    // only an order that names no entry of ours is a dead letter of its own.
    const reopened = await this.reopenReplayed(manager, message, reason);
    const dead = reopened ? originalMessage(reopened) : message;
    if (!reopened) await insertDeadLetter(manager, schema, groupId, message, reason);
    this.logger.warn(
      {
        topic: dead.topic,
        partition: dead.partition,
        offset: dead.offset,
        reasonCode,
        reasonMessage,
        replay: !!reopened,
      },
      'message dead-lettered',
    );
    await this.outbox.enqueue(manager, {
      topic: deadLetterTopic,
      key: dead.key ?? dead.id,
      type: 'bg.sofia.umg.dead-letter.v1',
      payload: deadLetterEntry(dead, groupId, reasonCode, reasonMessage, reopened ? reopened.attempts : attempts),
    });
  }

  private async reopenReplayed(
    manager: EntityManager,
    message: InboundMessage,
    reason: { code: string; message: string; attempts: number },
  ) {
    if (message.topic !== this.settings.replayTopic) return undefined;
    let deadLetterId: number;
    try {
      deadLetterId = replayOrder(message, this.settings.groupId).deadLetterId;
    } catch {
      return undefined;
    }
    return reopenDeadLetter(manager, this.settings.schema, this.settings.groupId, deadLetterId, reason);
  }
}
