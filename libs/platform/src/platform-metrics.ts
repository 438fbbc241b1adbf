import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { NextFunction, Request, Response } from 'express';
import type { DataSource } from 'typeorm';
import type { Logger } from '@umg/logging';
import { routeTemplate } from './route-template';
import type { ServiceMessaging } from './service-messaging';

type ScrapeRefresher = () => Promise<void>;

/**
 * The service's Prometheus metrics: process defaults, HTTP requests per route template, and the
 * messaging figures (outbox backlog and age, dead letters, consumer lag) read on each scrape with
 * cheap queries, so nothing is kept in step in the hot path. Labels never carry identifiers.
 */
export class PlatformMetrics {
  readonly registry = new Registry();
  private readonly httpDuration: Histogram<'method' | 'route' | 'status'>;
  private readonly refreshers: ScrapeRefresher[] = [];
  private upstreamCircuits: Gauge<'upstream'> | undefined;
  private readonly exchangeLogAppendFailures: Counter;

  constructor(
    service: string,
    private readonly schema: string,
    private readonly dataSource: DataSource,
    private readonly messaging: ServiceMessaging,
    private readonly logger: Logger,
  ) {
    this.registry.setDefaultLabels({ service });
    collectDefaultMetrics({ register: this.registry });
    this.httpDuration = new Histogram({
      name: 'umg_http_request_duration_seconds',
      help: 'HTTP requests served, by method, route template and status code.',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [this.registry],
    });
    this.exchangeLogAppendFailures = new Counter({
      name: 'umg_exchange_log_append_failures_total',
      help: 'Exchange-log records that could not be appended: each one is an exchange missing from the log.',
      registers: [this.registry],
    });
    this.messagingGauges();
  }

  exchangeLogAppendFailed(): void {
    this.exchangeLogAppendFailures.inc();
  }

  /**
   * Reports a circuit breaker in front of a state system (payment system, e-delivery) as
   * `umg_upstream_circuit_open{upstream}`: 1 while open or half-open, else 0.
   */
  upstreamCircuit(upstream: string, isClosed: () => boolean): void {
    this.upstreamCircuits ??= new Gauge({
      name: 'umg_upstream_circuit_open',
      help: 'Circuit breaker in front of a state system: 1 while open or half-open, else 0.',
      labelNames: ['upstream'],
      registers: [this.registry],
    });
    const gauge = this.upstreamCircuits;
    this.onScrape(() => {
      gauge.set({ upstream }, isClosed() ? 0 : 1);
      return Promise.resolve();
    });
  }

  /** Adds figures a service reads on each scrape (e.g. per-district adapter health). */
  onScrape(refresh: ScrapeRefresher): void {
    this.refreshers.push(refresh);
  }

  /** The exposition text, after every figure has been read; a failing source is logged, not fatal. */
  async scrape(): Promise<string> {
    await Promise.all(
      this.refreshers.map((refresh) =>
        refresh().catch((error: unknown) => this.logger.warn({ err: error }, 'a metrics source failed')),
      ),
    );
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  /** Express middleware timing every request; the route is the matched template, never the raw path. */
  httpMiddleware(): (request: Request, response: Response, next: NextFunction) => void {
    return (request, response, next) => {
      const end = this.httpDuration.startTimer();
      response.once('finish', () => {
        end({ method: request.method, route: routeTemplate(request), status: String(response.statusCode) });
      });
      next();
    };
  }

  private messagingGauges(): void {
    const registers = [this.registry];
    const backlog = new Gauge({
      name: 'umg_outbox_backlog_messages',
      help: 'Outbox messages not yet published to Kafka.',
      registers,
    });
    const oldest = new Gauge({
      name: 'umg_outbox_oldest_unpublished_age_seconds',
      help: 'Age of the oldest unpublished outbox message (0 when none).',
      registers,
    });
    const deadLetters = new Gauge({
      name: 'umg_dead_letter_messages',
      help: 'Messages in the dead-letter table, by consumed topic and state (open, replayed, discarded).',
      labelNames: ['topic', 'state'],
      registers,
    });
    const lag = new Gauge({
      name: 'umg_kafka_consumer_lag_messages',
      help: "Messages on a partition not yet committed by the service's consumer group.",
      labelNames: ['group', 'topic', 'partition'],
      registers,
    });
    const skipped = new Gauge({
      name: 'umg_kafka_consumer_skipped_messages',
      help: 'Messages a consumer group skipped since the process started, as not relevant by their headers (no database work).',
      labelNames: ['group', 'topic'],
      registers,
    });
    this.onScrape(() => {
      for (const { group, topic, count } of this.messaging.skippedMessages) skipped.set({ group, topic }, count);
      return Promise.resolve();
    });
    const s = `"${this.schema}"`;
    this.onScrape(async () => {
      const [row] = await this.dataSource.query<{ backlog: string; age: number | null }[]>(
        `SELECT count(*) AS backlog, extract(epoch FROM now() - min(created_at))::float8 AS age
           FROM ${s}.outbox WHERE published_at IS NULL`,
      );
      backlog.set(Number(row?.backlog ?? 0));
      oldest.set(Math.max(0, row?.age ?? 0));
    });
    this.onScrape(async () => {
      const rows = await this.dataSource.query<{ topic: string; state: string; count: string }[]>(
        `SELECT topic, state, count(*) AS count
           FROM ${s}.dead_letter GROUP BY 1, 2`,
      );
      deadLetters.reset();
      for (const topic of this.messaging.consumedTopics) {
        deadLetters.set({ topic, state: 'open' }, 0);
      }
      for (const row of rows) deadLetters.set({ topic: row.topic, state: row.state }, Number(row.count));
    });
    this.onScrape(async () => {
      const partitions = await this.messaging.consumerLag(2_000);
      lag.reset();
      for (const { group, topic, partition, lag: value } of partitions) {
        lag.set({ group, topic, partition: String(partition) }, value);
      }
    });
  }
}
