import type { BeforeApplicationShutdown, OnApplicationBootstrap, Type } from '@nestjs/common';
import type { ModuleRef } from '@nestjs/core';
import type { Admin, Kafka } from 'kafkajs';
import type { DataSource } from 'typeorm';
import type { Logger } from '@umg/logging';
import {
  createKafka,
  ensureTopics,
  EventConsumer,
  gatewayTopics,
  type KafkaConnection,
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
  private consumer: EventConsumer | undefined;
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
    const consumer = this.options.consumer;
    if (!consumer) return;
    const handlers: Record<string, MessageHandler> = {};
    for (const [topic, type] of Object.entries(consumer.handlers)) {
      const provider = this.moduleRef.get(type, { strict: false });
      handlers[topic] = (message, manager) => provider.handle(message, manager);
    }
    this.consumer = new EventConsumer(
      this.kafka,
      this.dataSource,
      this.outbox,
      {
        groupId: `umg.${this.options.service}`,
        schema: this.options.schema,
        handlers,
        deadLetterTopic: consumer.deadLetterTopic,
        replayTopic: consumer.replayTopic,
        maxAttempts: consumer.maxAttempts ?? 3,
        partitionsConsumedConcurrently: consumer.partitionsConsumedConcurrently ?? 3,
        sessionTimeoutMs: this.options.kafkaSessionTimeoutMs,
      },
      this.logger.child({ component: 'consumer' }),
    );
    this.consumer.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.consumer?.stop();
    await this.relay.stop();
    await this.admin?.disconnect().catch(() => undefined);
  }

  /** The topics this service's consumer reads (none for a service that only publishes). */
  get consumedTopics(): string[] {
    const consumer = this.options.consumer;
    return consumer ? [...Object.keys(consumer.handlers), consumer.replayTopic] : [];
  }

  /**
   * Per partition, how far the consumer group's committed offset is behind the log end; bounded by
   * a deadline so a slow broker cannot hold a metrics scrape.
   */
  async consumerLag(timeoutMs: number): Promise<{ group: string; topic: string; partition: number; lag: number }[]> {
    const topics = this.consumedTopics;
    if (topics.length === 0) return [];
    const groupId = `umg.${this.options.service}`;
    const read = async () => {
      const admin = await this.connectedAdmin();
      const committed = await admin.fetchOffsets({ groupId, topics });
      const result: { group: string; topic: string; partition: number; lag: number }[] = [];
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
          const consumerState = this.consumer?.state;
          if (consumerState && consumerState !== 'running') {
            return { status: 'down', detail: `consumer ${consumerState}` };
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
