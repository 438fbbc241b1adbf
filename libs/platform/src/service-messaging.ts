import type { BeforeApplicationShutdown, OnApplicationBootstrap, Type } from '@nestjs/common';
import type { ModuleRef } from '@nestjs/core';
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
  laneConsumerGroup,
  mainConsumerGroup,
  type MessageFilter,
  type MessageHandler,
  Outbox,
  OutboxRelay,
} from '@umg/messaging';
import type { HealthCheck } from './health-check';
import type { MessageHandlerProvider } from './message-handler';

export interface ServiceMessagingOptions {
  service: string;
  schema: string;
  databaseUrl: string;
  kafka: KafkaConnection;
  kafkaSessionTimeoutMs?: number;
  consumer?: {
    deadLetterTopic: string;
    replayTopic: string;
    handlers: Record<string, Type<MessageHandlerProvider>>;
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
 * consumer of its topics, and a readiness check. Started after the application has booted and
 * stopped before the database goes away, so in-flight work finishes and offsets are committed.
 */
export class ServiceMessaging implements OnApplicationBootstrap, BeforeApplicationShutdown {
  readonly kafka: Kafka;
  readonly outbox: Outbox;
  private readonly relay: OutboxRelay;
  /** The main group's consumer first, then one per lane. */
  private consumers: EventConsumer[] = [];
  private admin: Admin | undefined;

  constructor(
    private readonly options: ServiceMessagingOptions,
    private readonly dataSource: DataSource,
    private readonly moduleRef: ModuleRef,
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
    this.consumers = this.consumerSettings().map(
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

  /**
   * One consumer per group: the main group reads every topic not in a lane (and can replay the
   * dead letters of any, e.g. recorded before a lane existed); a lane reads its own topics. All
   * share the replay topic (each skips the others' orders) and record in the main group's inbox.
   */
  private consumerSettings(): EventConsumerSettings[] {
    const consumer = this.options.consumer;
    if (!consumer) return [];
    const handlers: Record<string, MessageHandler> = {};
    const accepts: Record<string, MessageFilter> = {};
    for (const [topic, type] of Object.entries(consumer.handlers)) {
      const provider = this.moduleRef.get(type, { strict: false });
      handlers[topic] = (message, manager) => provider.handle(message, manager);
      if (provider.accepts) accepts[topic] = (message) => provider.accepts!(message);
    }
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
    await Promise.all(this.consumers.map((consumer) => consumer.stop()));
    await this.relay.stop();
    await this.admin?.disconnect().catch(() => undefined);
  }

  /** The topics this service's consumers read (none for a service that only publishes). */
  get consumedTopics(): string[] {
    const consumer = this.options.consumer;
    return consumer ? [...Object.keys(consumer.handlers), consumer.replayTopic] : [];
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
