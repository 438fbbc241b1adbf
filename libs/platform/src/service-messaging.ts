import type { BeforeApplicationShutdown, OnApplicationBootstrap } from '@nestjs/common';
import type { Admin, Kafka } from 'kafkajs';
import type { DataSource } from 'typeorm';
import type { Logger } from '@umg/logging';
import {
  type ConsumerLane,
  createKafka,
  ensureTopics,
  EventConsumer,
  type EventConsumerSettings,
  gatewayTopics,
  type KafkaConnection,
  type KafkaConsumers,
  laneConsumerGroup,
  mainConsumerGroup,
  Outbox,
  OutboxRelay,
  type TopicHandlers,
} from '@umg/messaging';
import type { HealthCheck } from './health-check';

export interface ServiceMessagingOptions {
  service: string;
  schema: string;
  databaseUrl: string;
  kafka: KafkaConnection;
  kafkaSessionTimeoutMs?: number;
  consumer?: {
    deadLetterTopic: string;
    replayTopic: string;
    partitionsConsumedConcurrently?: number;
    maxAttempts?: number;
    /**
     * Topics consumed in a group of their own (`umg.<service>.<lane>`, see `consumerLanes`), by a
     * consumer of their own in this process, so they never queue behind the other topics.
     */
    lanes?: ConsumerLane[];
  };
}

/**
 * Everything Kafka a service has: the outbox it writes to, the relay that publishes it, the
 * consumers of its topics, and a readiness check. The relay starts after the application has
 * booted; the consumers when the Kafka transport listens (`startKafkaHandlers`, with the handlers
 * of the controllers' `@EventPattern`s). Both stop before the database goes away, so in-flight
 * work finishes and offsets are committed.
 */
export class ServiceMessaging implements OnApplicationBootstrap, BeforeApplicationShutdown, KafkaConsumers {
  readonly kafka: Kafka;
  readonly outbox: Outbox;
  private readonly relay: OutboxRelay;
  /** The main group's consumer first, then one per lane. */
  private consumers: EventConsumer[] = [];
  /** The topics of the started consumers' handlers. */
  private handledTopics: string[] = [];
  private admin: Admin | undefined;

  constructor(
    private readonly options: ServiceMessagingOptions,
    private readonly dataSource: DataSource,
    private readonly logger: Logger,
  ) {
    this.kafka = createKafka(options.kafka, `umg-${options.service}`, logger);
    this.outbox = new Outbox(options.schema, `urn:umg:service:${options.service}`);
    this.relay = new OutboxRelay(
      this.kafka,
      { databaseUrl: options.databaseUrl, schema: options.schema, batchSize: 500, pollIntervalMs: 1_000 },
      logger.child({ component: 'outbox-relay' }),
    );
  }

  onApplicationBootstrap(): void {
    // Topics first (idempotent), in the background: a broker that is down must not stop boot. A
    // service with a Kafka identity may not create topics (the ACLs say so): the harness or the
    // operator (Strimzi KafkaTopics) does.
    if (!this.options.kafka.sasl) {
      void ensureTopics(this.kafka, gatewayTopics).catch((error: unknown) =>
        this.logger.warn({ err: error }, 'could not ensure topics yet'),
      );
    }
    this.relay.start();
  }

  /** Whether the service consumes at all (has a dead-letter and replay topic of its own). */
  get consumes(): boolean {
    return this.options.consumer !== undefined;
  }

  /** Starts one consumer per group with the handlers of the Kafka transport. */
  start(topics: TopicHandlers): void {
    if (this.consumers.length > 0) throw new Error('the consumers are started already');
    this.handledTopics = Object.keys(topics.handlers);
    this.consumers = this.consumerSettings(topics).map(
      (settings) =>
        new EventConsumer(
          this.kafka,
          this.dataSource,
          this.outbox,
          settings,
          this.logger.child({ component: 'consumer', group: settings.groupId }),
        ),
    );
    for (const consumer of this.consumers) consumer.start();
  }

  /** Stops the consumers (idempotent): in-flight messages finish and their offsets are committed. */
  async stop(): Promise<void> {
    await Promise.all(this.consumers.map((consumer) => consumer.stop()));
  }

  /**
   * One consumer per group: the main group reads every topic not in a lane (and can replay the
   * dead letters of any, e.g. recorded before a lane existed); a lane reads its own topics. All
   * share the replay topic (each skips the others' orders) and record in the main group's inbox.
   */
  private consumerSettings({ handlers, accepts }: TopicHandlers): EventConsumerSettings[] {
    const consumer = this.options.consumer;
    if (!consumer) return [];
    const lanes = consumer.lanes ?? [];
    const mainGroup = mainConsumerGroup(this.options.service);
    const groups = [mainGroup, ...lanes.map((lane) => laneConsumerGroup(this.options.service, lane.name))];
    const inLane = new Set(lanes.flatMap((lane) => lane.topics));
    const common = {
      inboxGroup: mainGroup,
      schema: this.options.schema,
      accepts,
      deadLetterTopic: consumer.deadLetterTopic,
      replayTopic: consumer.replayTopic,
      maxAttempts: consumer.maxAttempts ?? 3,
      partitionsConsumedConcurrently: consumer.partitionsConsumedConcurrently ?? 3,
      sessionTimeoutMs: this.options.kafkaSessionTimeoutMs,
    };
    const replayLanes = (group: string, takesStrays: boolean) =>
      lanes.length > 0 ? { otherGroups: groups.filter((other) => other !== group), takesStrays } : undefined;
    return [
      {
        ...common,
        groupId: mainGroup,
        handlers,
        topics: Object.keys(handlers).filter((topic) => !inLane.has(topic)),
        replayLanes: replayLanes(mainGroup, true),
      },
      ...lanes.map((lane, index) => {
        const missing = lane.topics.filter((topic) => !handlers[topic]);
        if (missing.length > 0)
          throw new Error(`lane ${lane.name} names topics without a handler: ${missing.join(', ')}`);
        return {
          ...common,
          groupId: groups[index + 1]!,
          handlers: Object.fromEntries(lane.topics.map((topic) => [topic, handlers[topic]!])),
          topics: lane.topics,
          replayLanes: replayLanes(groups[index + 1]!, false),
        };
      }),
    ];
  }

  async beforeApplicationShutdown(): Promise<void> {
    // Before the relay (and again, harmlessly, when the transport closes after this hook).
    await this.stop();
    await this.relay.stop();
    await this.admin?.disconnect().catch(() => undefined);
  }

  /** The topics this service's consumers read (none for a service that only publishes). */
  get consumedTopics(): string[] {
    const consumer = this.options.consumer;
    return consumer && this.handledTopics.length > 0 ? [...this.handledTopics, consumer.replayTopic] : [];
  }

  /** Messages skipped as not relevant since start, by group and topic. */
  get skippedMessages(): { group: string; topic: string; count: number }[] {
    return this.consumers.flatMap((consumer) =>
      [...consumer.skipped].map(([topic, count]) => ({ group: consumer.groupId, topic, count })),
    );
  }

  /**
   * Per group and partition, how far the consumer group's committed offset is behind the log end;
   * bounded by a deadline so a slow broker cannot hold a metrics scrape.
   */
  async consumerLag(timeoutMs: number): Promise<{ group: string; topic: string; partition: number; lag: number }[]> {
    const read = async () => {
      const admin = await this.connectedAdmin();
      const result: { group: string; topic: string; partition: number; lag: number }[] = [];
      for (const consumer of this.consumers) {
        await this.groupLag(admin, consumer.groupId, consumer.subscribedTopics, result);
      }
      return result;
    };
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`consumer lag not read within ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      return await Promise.race([read(), deadline]);
    } catch (error) {
      if (this.admin) await this.dropAdmin(this.admin);
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }

  private async groupLag(
    admin: Admin,
    groupId: string,
    topics: string[],
    result: { group: string; topic: string; partition: number; lag: number }[],
  ): Promise<void> {
    const committed = await admin.fetchOffsets({ groupId, topics });
    for (const { topic, partitions } of committed) {
      const ends = await admin.fetchTopicOffsets(topic);
      for (const end of ends) {
        const at = partitions.find((partition) => partition.partition === end.partition);
        const committedOffset = at && Number(at.offset) >= 0 ? Number(at.offset) : Number(end.low);
        result.push({
          group: groupId,
          topic,
          partition: end.partition,
          lag: Math.max(0, Number(end.high) - committedOffset),
        });
      }
    }
  }

  private async dropAdmin(admin: Admin): Promise<void> {
    if (this.admin === admin) this.admin = undefined;
    await admin.disconnect().catch(() => undefined);
  }

  private async connectedAdmin(): Promise<Admin> {
    if (!this.admin) {
      const admin = this.kafka.admin({ retry: { retries: 0 } });
      await admin.connect();
      this.admin = admin;
    }
    return this.admin;
  }

  healthCheck(): HealthCheck {
    return {
      name: 'kafka',
      check: async () => {
        const connected = await this.connectedAdmin();
        try {
          const cluster = await connected.describeCluster();
          if (this.consumes && this.consumers.length === 0) return { status: 'down', detail: 'consumers not started' };
          const notRunning = this.consumers.filter((consumer) => consumer.state !== 'running');
          if (notRunning.length > 0) {
            const states = notRunning.map((consumer) => `${consumer.groupId} ${consumer.state}`);
            return { status: 'down', detail: `consumer ${states.join(', ')}` };
          }
          return { status: 'up', detail: `${cluster.brokers.length} broker(s)` };
        } catch (error) {
          // A fresh admin next time: kafkajs does not always recover a broken one.
          await this.dropAdmin(connected);
          throw error;
        }
      },
    };
  }
}
