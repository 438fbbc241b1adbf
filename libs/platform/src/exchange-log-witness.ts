import { appendFile } from 'node:fs/promises';
import type { BeforeApplicationShutdown, OnApplicationBootstrap } from '@nestjs/common';
import type { Kafka, Producer } from 'kafkajs';
import type { DataSource } from 'typeorm';
import { type ChainHead, type ExchangeLog, type ExchangeLogSigner, signHead } from '@umg/exchange-log';
import type { Logger } from '@umg/logging';
import { cloudEventTypes } from '@umg/contracts';
import { cloudEventHeaders, PeriodicWorker, Topics } from '@umg/messaging';

export interface ExchangeLogWitnessOptions {
  service: string;
  intervalMs: number;
  /** Also append each head here (JSON lines), for an auditor to copy. */
  witnessFile?: string;
}

/**
 * Publishes the service's signed exchange-log head outside its database: to the compacted topic
 * `exchange-log.heads` (key: the service) and, when set, a file; every interval and at shutdown.
 * Whoever keeps these heads can tell that records were deleted from the end of the log, or all
 * of them, which the chain alone cannot show. A failed publication is logged; the next one follows.
 */
export class ExchangeLogWitness implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly worker: PeriodicWorker;
  private producer: Producer | undefined;

  constructor(
    private readonly options: ExchangeLogWitnessOptions,
    private readonly log: ExchangeLog,
    private readonly signer: ExchangeLogSigner,
    private readonly dataSource: DataSource,
    private readonly kafka: Kafka,
    private readonly logger: Logger,
  ) {
    this.worker = new PeriodicWorker(
      {
        name: 'exchange-log witness',
        intervalMs: options.intervalMs,
        // Soon after start too (once the topics are ensured), so a fresh deployment is witnessed early.
        firstRoundAfterMs: Math.min(options.intervalMs, 5_000),
        unref: true,
      },
      logger,
      async () => void (await this.publish()),
    );
  }

  onApplicationBootstrap(): void {
    this.worker.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.worker.stop();
    await this.publish();
    await this.producer?.disconnect().catch(() => undefined);
  }

  /** Reads, signs and publishes the current head; the head, or undefined when it could not. */
  async publish(): Promise<ChainHead | undefined> {
    try {
      const head = signHead(this.signer, { service: this.options.service, ...(await this.log.head(this.dataSource)) });
      const line = `${JSON.stringify(head)}\n`;
      if (this.options.witnessFile) await appendFile(this.options.witnessFile, line);
      if (!this.producer) {
        const producer = this.kafka.producer({ allowAutoTopicCreation: false });
        await producer.connect();
        this.producer = producer;
      }
      await this.producer.send({
        topic: Topics.exchangeLogHeads,
        messages: [
          {
            key: this.options.service,
            value: JSON.stringify(head),
            headers: cloudEventHeaders({
              type: cloudEventTypes.ExchangeLogHead,
              source: `urn:umg:service:${this.options.service}`,
              time: new Date(head.at),
            }),
          },
        ],
      });
      return head;
    } catch (error) {
      this.logger.warn({ err: error }, 'could not publish the exchange-log head');
      // A producer the broker dropped stays disconnected: the next publication starts a new one.
      const producer = this.producer;
      this.producer = undefined;
      await producer?.disconnect().catch(() => undefined);
      return undefined;
    }
  }
}
