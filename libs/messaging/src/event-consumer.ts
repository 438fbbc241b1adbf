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
  replayOrderGroup,
} from './dead-letter-store';
import { crashHereIfArmed } from './fault-injection';
import { claimForReplay, recordBatchInInbox, recordInInbox } from './inbox';
import { InboundMessage } from './inbound-message';
import type { Outbox } from './outbox';
import { PoisonMessageError } from './poison-message.error';

/** Applies one message's effect using the given transaction's manager. */
export type MessageHandler = (message: InboundMessage, manager: EntityManager) => Promise<void>;

/** Whether a message can concern its handler at all, decided from its headers only. */
export type MessageFilter = (message: InboundMessage) => boolean;

export interface EventConsumerSettings {
  groupId: string;
  /**
   * The group the inbox records under (default `groupId`). A service's lanes share the service's
   * group here, so a message is processed once even when its topic moves to another lane (a
   * rolling upgrade, a new lane starting from the beginning of its topic).
   */
  inboxGroup?: string;
  schema: string;
  /** Topic → handler: the topics whose dead letters this group can replay. */
  handlers: Record<string, MessageHandler>;
  /** The topics subscribed to (default: every topic of `handlers`), besides the replay topic. */
  topics?: string[];
  /**
   * Topic → relevance filter. A message it does not accept is skipped before any database work
   * (no transaction, no inbox row): its offset is simply committed. Without one, all are relevant.
   */
  accepts?: Record<string, MessageFilter>;
  deadLetterTopic: string;
  /**
   * The group's own replay topic: an operator's replay order for one of its dead letters, which
   * is processed by the original topic's handler (see `applyInTransaction`).
   */
  replayTopic?: string;
  /**
   * When the replay topic is shared by the service's lanes (a group each): the other lanes' groups,
   * whose orders this group skips rather than dead-letters, and whether it takes the orders that
   * name no lane of the service (the main lane does, dead-lettering a bad order once; another lane
   * leaves them to it).
   */
  replayLanes?: { otherGroups: string[]; takesStrays: boolean };
  /** Attempts for a message whose handler fails, before it is dead-lettered. */
  maxAttempts: number;
  partitionsConsumedConcurrently: number;
  /**
   * Relevant messages of one partition applied in one database transaction (their inbox rows in
   * one statement, no savepoints); 1 gives a transaction per message.
   */
  transactionBatchSize?: number;
  /** How soon partitions of a crashed instance go to the others (a clean stop hands them over at once). */
  sessionTimeoutMs?: number;
}

export type ConsumerState = 'stopped' | 'connecting' | 'running' | 'crashed';

/**
 * A thin consumer on kafkajs. A message its handler cannot concern (by its headers) is skipped
 * with no database work. The others are processed in a database transaction together with their
 * inbox records: a chunk of a partition's messages shares one transaction, their inbox rows one
 * statement, so a commit is paid per chunk, not per message. When a handler fails the chunk is
 * rolled back and the failing message takes the careful path alone (retried a bounded number of
 * times, then dead-lettered through the outbox), so a poison message never blocks its partition.
 * Offsets are committed only after the transaction commits; a redelivery after a crash is absorbed
 * by the inbox.
 */
export class EventConsumer {
  private consumer: Consumer | undefined;
  private stopping = false;
  private starting: Promise<void> | undefined;
  private currentState: ConsumerState = 'stopped';
  /** Messages being processed now: stop() waits for them before the database may close. */
  private readonly inFlight = new Set<Promise<void>>();
  /** Messages skipped as not relevant since start, by topic (for figures and tests). */
  readonly skipped = new Map<string, number>();

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

  get groupId(): string {
    return this.settings.groupId;
  }

  /** The topics the group subscribes to, its replay topic included. */
  get subscribedTopics(): string[] {
    const topics = [...(this.settings.topics ?? Object.keys(this.settings.handlers))];
    if (this.settings.replayTopic) topics.push(this.settings.replayTopic);
    return topics;
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
    await consumer.subscribe({ topics: this.subscribedTopics, fromBeginning: true });
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
      // The next chunk: up to `size` relevant messages, and the skipped ones among them.
      const chunk: InboundMessage[] = [];
      let end = index;
      while (end < messages.length && chunk.length < size) {
        const message = messages[end]!;
        if (this.isRelevant(message)) chunk.push(message);
        else this.skip(message);
        end += 1;
      }
      if (chunk.length > 0) {
        await this.apply(chunk, size, heartbeat);
        crashHereIfArmed();
      }
      resolveOffset(messages[end - 1]!.offset);
      index = end;
      await heartbeat();
      await commitOffsetsIfNecessary();
    }
  }

  /** Whether the message may concern this group: decided from its headers, before any database work. */
  isRelevant(message: InboundMessage): boolean {
    if (message.topic === this.settings.replayTopic) return this.isOurReplayOrder(message);
    const accepts = this.settings.accepts?.[message.topic];
    if (!accepts) return true;
    try {
      return accepts(message);
    } catch (error) {
      // A filter that fails cannot say no: the handler decides.
      this.logger.warn({ err: error, topic: message.topic }, 'relevance filter failed; message handled');
      return true;
    }
  }

  /** A replay order is ours unless it names another lane of the service (or is a stray another lane takes). */
  private isOurReplayOrder(message: InboundMessage): boolean {
    const lanes = this.settings.replayLanes;
    if (!lanes) return true;
    const group = replayOrderGroup(message);
    if (group === this.settings.groupId) return true;
    if (group !== undefined && lanes.otherGroups.includes(group)) return false;
    return lanes.takesStrays;
  }

  private skip(message: InboundMessage): void {
    this.skipped.set(message.topic, (this.skipped.get(message.topic) ?? 0) + 1);
    this.logger.debug(
      { topic: message.topic, type: message.type, offset: message.offset },
      'message not relevant; skipped',
    );
  }

  /**
   * Applies relevant messages in their order: all in one transaction when every handler succeeds;
   * otherwise the one that failed takes the careful path alone, the ones before and after it again
   * together. Returns once each is applied (or dead-lettered).
   */
  private async apply(chunk: InboundMessage[], size: number, heartbeat: () => Promise<void>): Promise<void> {
    let rest = chunk;
    while (rest.length > 0) {
      const failedAt = size > 1 ? await this.applyTogether(rest, heartbeat) : 0;
      if (failedAt === undefined) return;
      // The messages before it had succeeded: rolled back with it, they are applied again together.
      if (failedAt > 0) await this.apply(rest.slice(0, failedAt), size, heartbeat);
      await this.consume(rest[failedAt]!);
      rest = rest.slice(failedAt + 1);
    }
  }

  /**
   * The fast path: the chunk's messages in one transaction, their inbox rows in one statement, the
   * handlers of the new ones in order, no savepoints. Returns undefined when committed, else the
   * index of the message that failed (0 when the transaction itself failed): then nothing is applied.
   */
  private async applyTogether(chunk: InboundMessage[], heartbeat: () => Promise<void>): Promise<number | undefined> {
    let failedAt: number | undefined;
    try {
      await this.dataSource.transaction(async (manager) => {
        const { schema, handlers, replayTopic } = this.settings;
        const fresh = await recordBatchInInbox(
          manager,
          schema,
          this.inboxGroup,
          chunk.filter((message) => message.topic !== replayTopic),
        );
        for (const [index, message] of chunk.entries()) {
          const isReplay = message.topic === replayTopic;
          // Already processed (a redelivery), or a repeat of a message earlier in this chunk.
          if (!isReplay && !fresh.delete(message.id)) continue;
          const failed = await this.inMessageSpan(message, async () => {
            try {
              if (isReplay) await this.applyReplay(manager, message);
              else await handlers[message.topic]!(message, manager);
              return false;
            } catch (error) {
              this.logger.debug({ err: error, topic: message.topic }, 'message failed in a batch; retrying alone');
              return true;
            }
          });
          if (failed) {
            failedAt = index;
            throw new ChunkRolledBack();
          }
          // Keeps the group membership alive through a long batch (sent only when due).
          await heartbeat();
        }
      });
      return undefined;
    } catch (error) {
      if (failedAt !== undefined) return failedAt;
      // Shutting down: leave these offsets uncommitted for whoever consumes the partition next.
      if (this.stopping) throw error;
      // The transaction itself failed (the database went away, the commit failed): none applied.
      this.logger.debug({ err: error }, 'batch transaction failed; retrying message by message');
      return 0;
    }
  }

  private get inboxGroup(): string {
    return this.settings.inboxGroup ?? this.settings.groupId;
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

  /** A message's effect with its inbox record (the careful path: one message per transaction). */
  private async applyInTransaction(manager: EntityManager, message: InboundMessage): Promise<void> {
    const { schema, handlers, replayTopic } = this.settings;
    if (message.topic === replayTopic) return this.applyReplay(manager, message);
    if (await recordInInbox(manager, schema, this.inboxGroup, message))
      await handlers[message.topic]!(message, manager);
  }

  /**
   * A replay order (from the group's replay topic) rebuilds the dead-lettered message from its row
   * and runs the original topic's handler on it, claiming its inbox row: the normal path, and no
   * second effect if it was processed already.
   */
  private async applyReplay(manager: EntityManager, message: InboundMessage): Promise<void> {
    const { schema, groupId, handlers } = this.settings;
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
    if (await claimForReplay(manager, schema, this.inboxGroup, original)) {
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
    if (!(await recordInInbox(manager, schema, this.inboxGroup, message, 'dead_lettered'))) return;
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

/** Thrown inside a chunk's transaction to roll it back when one of its handlers failed. */
class ChunkRolledBack extends Error {}
