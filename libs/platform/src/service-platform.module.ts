import { type DynamicModule, Module, type OnApplicationShutdown, type Type } from '@nestjs/common';
import { APP_GUARD, ModuleRef, Reflector } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Logger } from '@umg/logging';
import { ExchangeLog, ExchangeLogSigner, ExchangeRecorder } from '@umg/exchange-log';
import { type ConsumerLane, DeadLetters, type KafkaConnection, Outbox } from '@umg/messaging';
import { postgresOptions } from '@umg/persistence';
import { startTracing, type Tracing, type TracingSettings } from '@umg/tracing';
import { DatabaseMigrator } from './database-migrator';
import { exchangeLogProviders, type ExchangeLogSettings } from './exchange-recorder.provider';
import { HEALTH_CHECKS, type HealthCheck, type HealthStatus, Readiness } from './health-check';
import { HealthController } from './health.controller';
import { ListenerGuard } from './listener.guard';
import { PUBLIC_CALLBACK } from './public-callback.decorator';
import { ExchangeLogWitness } from './exchange-log-witness';
import { type ManagementEndpoint, ManagementServer } from './management-server';
import { PlatformMetrics } from './platform-metrics';
import { ServiceMessaging } from './service-messaging';
import type { ServiceIdentity } from './service-identity/service-identity-keys';
import { ServiceIdentityGuard } from './service-identity/service-identity.guard';
import { ServiceTokenIssuer } from './service-identity/service-token-issuer';
import { ServiceTokenVerifier } from './service-identity/service-token-verifier';
import { SERVICE_LOGGER } from './tokens';

export interface ServicePlatformOptions {
  service: string;
  schema: string;
  logger: Logger;
  databaseUrl: string;
  databasePoolSize: number;
  kafka: KafkaConnection;
  kafkaSessionTimeoutMs?: number;
  /** Tracing (see @umg/tracing); when absent, spans are made for propagation but never exported. */
  tracing?: TracingSettings;
  /** The management port: `/metrics` and detailed readiness, kept off the service's own ports. */
  management: ManagementEndpoint;
  // TypeORM takes entity and migration classes as plain constructors.
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities: Function[];
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations: Function[];
  /**
   * Who this service is to the others: its key signs its calls; with `guardRoutes`, every route
   * of its API answers only the callers it names (deny by default). Only the gateway, whose
   * routes are the public edge with their own authentication, leaves `guardRoutes` off.
   */
  serviceIdentity: { identity: ServiceIdentity; guardRoutes: boolean };
  /** The service's signed exchange log: ExchangeLog, ExchangeRecorder and the head's witness are provided. */
  exchangeLog: ExchangeLogSettings;
  /** Further readiness checks: providers of the service's module, looked up when probed. */
  readinessChecks?: { name: string; provider: Type<{ check(): Promise<HealthStatus> }> }[];
  consumer?: {
    deadLetterTopic: string;
    /** The group's own replay topic (operators' replays of its dead letters). */
    replayTopic: string;
    partitionsConsumedConcurrently?: number;
    /** Topics consumed in a group of their own (see `consumerLanes` in @umg/messaging). */
    lanes?: ConsumerLane[];
  };
}

/**
 * The basics every service shares, in one import: its PostgreSQL schema and migrations, its
 * outbox, relay and consumer, the health endpoints, metrics and tracing.
 */
@Module({})
export class ServicePlatformModule {
  static forRoot(options: ServicePlatformOptions): DynamicModule {
    // Before anything handles a request or message, so every span has the SDK behind it.
    const tracing = startTracing(options.service, options.tracing ?? { exportDelayMs: 5_000, sampleRatio: 1 });
    return {
      module: ServicePlatformModule,
      global: true,
      imports: [
        TypeOrmModule.forRoot({
          ...postgresOptions({
            url: options.databaseUrl,
            schema: options.schema,
            poolSize: options.databasePoolSize,
            entities: options.entities,
            migrations: options.migrations,
            applicationName: `umg-${options.service}`,
          }),
          retryAttempts: 30,
          retryDelay: 2_000,
        }),
      ],
      controllers: [HealthController],
      providers: [
        { provide: SERVICE_LOGGER, useValue: options.logger },
        { provide: ServiceTokenIssuer, useValue: new ServiceTokenIssuer(options.serviceIdentity.identity) },
        // The first global guard (global guards run in the order they are provided, and no module
        // provides one before this), so a route asked on the wrong listener is a 404 before any
        // authentication. Public callbacks are served only on their own listener.
        {
          provide: APP_GUARD,
          useFactory: (reflector: Reflector) => new ListenerGuard(reflector, [PUBLIC_CALLBACK]),
          inject: [Reflector],
        },
        ...(options.serviceIdentity.guardRoutes
          ? [
              { provide: ServiceTokenVerifier, useValue: new ServiceTokenVerifier(options.serviceIdentity.identity) },
              { provide: APP_GUARD, useClass: ServiceIdentityGuard },
            ]
          : []),
        // Flushes the last batched spans when the application shuts down.
        { provide: TracingShutdown, useValue: new TracingShutdown(tracing, options.logger) },
        {
          provide: DatabaseMigrator,
          useFactory: (dataSource: DataSource) => new DatabaseMigrator(dataSource, options.schema, options.logger),
          inject: [DataSource],
        },
        {
          provide: ServiceMessaging,
          useFactory: (dataSource: DataSource) =>
            new ServiceMessaging(
              {
                service: options.service,
                schema: options.schema,
                databaseUrl: options.databaseUrl,
                kafka: options.kafka,
                kafkaSessionTimeoutMs: options.kafkaSessionTimeoutMs,
                consumer: options.consumer,
              },
              dataSource,
              options.logger,
            ),
          inject: [DataSource],
        },
        {
          provide: PlatformMetrics,
          useFactory: (dataSource: DataSource, messaging: ServiceMessaging) =>
            new PlatformMetrics(options.service, options.schema, dataSource, messaging, options.logger),
          inject: [DataSource, ServiceMessaging],
        },
        {
          provide: Readiness,
          useFactory: (checks: HealthCheck[]) => new Readiness(checks),
          inject: [HEALTH_CHECKS],
        },
        {
          provide: ManagementServer,
          useFactory: (metrics: PlatformMetrics, readiness: Readiness) =>
            new ManagementServer(options.management, metrics, readiness, options.logger),
          inject: [PlatformMetrics, Readiness],
        },
        ...exchangeLogProviders(options.service, options.schema, options.exchangeLog),
        {
          provide: Outbox,
          useFactory: (messaging: ServiceMessaging) => messaging.outbox,
          inject: [ServiceMessaging],
        },
        // The dead letters of the service's consumer, for its operator routes (see dead-letters.routes.ts).
        ...(options.consumer
          ? [
              {
                provide: DeadLetters,
                useFactory: (dataSource: DataSource, messaging: ServiceMessaging) =>
                  new DeadLetters(dataSource, messaging.outbox, {
                    schema: options.schema,
                    replayTopic: options.consumer!.replayTopic,
                  }),
                inject: [DataSource, ServiceMessaging],
              },
            ]
          : []),
        {
          provide: HEALTH_CHECKS,
          useFactory: (dataSource: DataSource, messaging: ServiceMessaging, moduleRef: ModuleRef): HealthCheck[] => [
            {
              name: 'postgres',
              check: async () => {
                await dataSource.query('SELECT 1');
                return { status: 'up' };
              },
            },
            messaging.healthCheck(),
            ...(options.readinessChecks ?? []).map(({ name, provider }) => ({
              name,
              check: () => moduleRef.get(provider, { strict: false }).check(),
            })),
          ],
          inject: [DataSource, ServiceMessaging, ModuleRef],
        },
      ],
      exports: [
        ...(options.consumer ? [DeadLetters] : []),
        SERVICE_LOGGER,
        Outbox,
        ServiceMessaging,
        PlatformMetrics,
        ExchangeLog,
        ExchangeLogSigner,
        ExchangeRecorder,
        ExchangeLogWitness,
        ServiceTokenIssuer,
      ],
    };
  }
}

class TracingShutdown implements OnApplicationShutdown {
  constructor(
    private readonly tracing: Tracing,
    private readonly logger: Logger,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await this.tracing
      .shutdown()
      .catch((error: unknown) => this.logger.warn({ err: error }, 'tracing shutdown failed'));
  }
}
