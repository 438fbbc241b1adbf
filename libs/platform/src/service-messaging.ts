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
  kafkaBrokers: string[];
  consumer?: {
    deadLetterTopic: string;
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
    this.kafka = createKafka(options.kafkaBrokers, `umg-${options.service}`, logger);
    this.outbox = new Outbox(options.schema, `urn:umg:service:${options.service}`);
    this.relay = new OutboxRelay(
      this.kafka,
      { databaseUrl: options.databaseUrl, schema: options.schema, batchSize: 500, pollIntervalMs: 1_000 },
      logger.child({ component: 'outbox-relay' }),
    );
  }

  onApplicationBootstrap(): void {
    // Topics first (idempotent), in the background: a broker that is down must not stop boot.
    void ensureTopics(this.kafka, gatewayTopics).catch((error: unknown) =>
      this.logger.warn({ err: error }, 'could not ensure topics yet'),
    );
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
        maxAttempts: consumer.maxAttempts ?? 3,
        partitionsConsumedConcurrently: consumer.partitionsConsumedConcurrently ?? 3,
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

  healthCheck(): HealthCheck {
    return {
      name: 'kafka',
      check: async () => {
        if (!this.admin) {
          const admin = this.kafka.admin({ retry: { retries: 0 } });
          await admin.connect();
          this.admin = admin;
        }
        try {
          const cluster = await this.admin.describeCluster();
          const consumerState = this.consumer?.state;
          if (consumerState && consumerState !== 'running') {
            return { status: 'down', detail: `consumer ${consumerState}` };
          }
          return { status: 'up', detail: `${cluster.brokers.length} broker(s)` };
        } catch (error) {
          // A fresh admin next time: kafkajs does not always recover a broken one.
          const admin = this.admin;
          this.admin = undefined;
          await admin.disconnect().catch(() => undefined);
          throw error;
        }
      },
    };
  }
}
