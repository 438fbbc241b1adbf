import { exchangeLogSigningKeyFile } from '@umg/config';
import { ExchangeRecorder } from '@umg/exchange-log';
import { type DynamicModule, type MiddlewareConsumer, Module, type NestModule } from '@nestjs/common';
import { SchemaValidator } from '@umg/contracts';
import { kafkaConnection } from '@umg/config';
import type { Logger } from '@umg/logging';
import { Topics } from '@umg/messaging';
import {
  exchangeLogSettings,
  inboundExchangeMiddleware,
  type ServiceIdentity,
  ServicePlatformModule,
  tracingSettings,
} from '@umg/platform';
import { ListCatalogueHttpController } from './catalogue/list-catalogue.http.controller';
import { ServiceEnablementHttpController } from './catalogue/service-enablement.http.controller';
import { ServiceEnablementService } from './catalogue/service-enablement.service';
import { ServicePhasesHttpController } from './catalogue/service-phases.http.controller';
import type { DistrictsConfig } from './config';
import { ConformanceHttpController } from './conformance/conformance.http.controller';
import { ExpireConformanceRunsJob } from './conformance/expire-conformance-runs.job';
import { RunConformanceService } from './conformance/run-conformance.service';
import { SandboxStepMessageHandler } from './conformance/sandbox-step.message-handler';
import { ScoreSandboxStepService } from './conformance/score-sandbox-step.service';
import { districtsDatabase } from './database';
import { ChangeEDeliveryIdentityHttpController } from './e-delivery/change-e-delivery-identity.http.controller';
import { ChangeEDeliveryIdentityService } from './e-delivery/change-e-delivery-identity.service';
import { AdapterHealthMetrics } from './metrics/adapter-health.metrics';
import { PublishOfferingsService } from './offerings/publish-offerings.service';
import { PublishPayeeService } from './payees/publish-payee.service';
import { ApplicationEventMessageHandler } from './push/application-event.message-handler';
import { BackOfficeClient } from './push/back-office-client';
import { BackOfficeEndpointPolicy } from './push/back-office-endpoint-policy';
import { BackOfficeDecisions } from './push/back-office-decisions';
import { AnsweredDocuments } from './push/answered-documents';
import { AnsweredDocumentsHttpController } from './push/answered-documents.http.controller';
import { PushesHttpController } from './push/pushes.http.controller';
import { PushWorker } from './push/push-worker';
import { QueuePushService } from './push/queue-push.service';
import { ReceiveDecisionHttpController } from './push/receive-decision.http.controller';
import { ReplayPushService } from './push/replay-push.service';
import { ChangePhaseService } from './change-phase/change-phase.service';
import { ChangePhaseHttpController } from './change-phase/change-phase.http.controller';
import { DistrictRepository } from './district/district.repository';
import type { ProfilesFileEntry } from './district/profile-changes';
import { ReadRegistryHttpController } from './read-registry/read-registry.http.controller';
import { ReadRegistryService } from './read-registry/read-registry.service';
import { SeedRegistryService } from './seed-registry/seed-registry.service';
import { UpdateProfileHttpController } from './update-profile/update-profile.http.controller';
import { UpdateProfileService } from './update-profile/update-profile.service';
import { readDistrictSecretKeyring } from './secrets/district-secret-keyring';
import { DistrictSecretHttpController } from './secrets/district-secret.http.controller';
import { DistrictSecretStore } from './secrets/district-secret-store';
import { DISTRICT_PROFILES, DISTRICT_SECRET_KEYRING, DISTRICTS_CONFIG } from './tokens';
import { DeadLettersHttpController } from './dead-letters/dead-letters.http.controller';
import { ParkedPushesHttpController } from './parked-pushes/parked-pushes.http.controller';
import { ParkedPushesService } from './parked-pushes/parked-pushes.service';

/** The districts service: district registry, service catalogue, rollout phases, back-office adapters. */
@Module({})
export class DistrictsModule implements NestModule {
  constructor(private readonly exchanges: ExchangeRecorder) {}

  /** Inbound calls from outside (callbacks) go into the exchange log. */
  configure(consumer: MiddlewareConsumer): void {
    consumer
      .apply(
        inboundExchangeMiddleware(
          this.exchanges,
          (request) => `back-office:${request.params.districtCode ?? request.path.split('/')[2] ?? 'unknown'}`,
        ),
      )
      .forRoutes(ReceiveDecisionHttpController);
  }

  static register(
    config: DistrictsConfig,
    identity: ServiceIdentity,
    profiles: Record<string, ProfilesFileEntry>,
    logger: Logger,
  ): DynamicModule {
    return {
      module: DistrictsModule,
      imports: [
        ServicePlatformModule.forRoot({
          serviceIdentity: { identity, guardRoutes: true },
          service: 'districts',
          ...districtsDatabase,
          logger,
          databaseUrl: config.DATABASE_URL,
          databasePoolSize: config.DATABASE_POOL_SIZE,
          kafka: kafkaConnection(config),
          kafkaSessionTimeoutMs: config.KAFKA_SESSION_TIMEOUT_MS,
          tracing: tracingSettings(config),
          management: { host: config.HOST, port: config.DISTRICTS_MANAGEMENT_PORT },
          exchangeLog: exchangeLogSettings(config, exchangeLogSigningKeyFile(config, 'districts')),
          consumer: {
            deadLetterTopic: Topics.districtsDeadLetter,
            replayTopic: Topics.districtsReplay,
          },
        }),
      ],
      controllers: [
        ApplicationEventMessageHandler,
        SandboxStepMessageHandler,
        DeadLettersHttpController,
        ParkedPushesHttpController,
        ReadRegistryHttpController,
        UpdateProfileHttpController,
        ChangePhaseHttpController,
        ListCatalogueHttpController,
        ServiceEnablementHttpController,
        ServicePhasesHttpController,
        DistrictSecretHttpController,
        ChangeEDeliveryIdentityHttpController,
        PushesHttpController,
        ConformanceHttpController,
        ReceiveDecisionHttpController,
        AnsweredDocumentsHttpController,
      ],
      providers: [
        { provide: DISTRICTS_CONFIG, useValue: config },
        {
          provide: BackOfficeEndpointPolicy,
          useValue: new BackOfficeEndpointPolicy({
            privateHosts: config.PUSH_PRIVATE_HOSTS,
            httpHosts: config.PUSH_HTTP_HOSTS,
          }),
        },
        { provide: DISTRICT_PROFILES, useValue: profiles },
        { provide: DISTRICT_SECRET_KEYRING, useValue: readDistrictSecretKeyring(config) },
        DistrictSecretStore,
        ChangeEDeliveryIdentityService,
        { provide: SchemaValidator, useValue: new SchemaValidator() },
        DistrictRepository,
        PublishOfferingsService,
        PublishPayeeService,
        SeedRegistryService,
        ReadRegistryService,
        UpdateProfileService,
        ChangePhaseService,
        ServiceEnablementService,
        QueuePushService,
        BackOfficeClient,
        BackOfficeDecisions,
        AnsweredDocuments,
        PushWorker,
        ReplayPushService,
        ParkedPushesService,
        RunConformanceService,
        ScoreSandboxStepService,
        ExpireConformanceRunsJob,
        AdapterHealthMetrics,
      ],
    };
  }
}
