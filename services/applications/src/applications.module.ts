import { type DynamicModule, Module } from '@nestjs/common';
import { SchemaValidator } from '@umg/contracts';
import type { Logger } from '@umg/logging';
import { Topics } from '@umg/messaging';
import { ServicePlatformModule } from '@umg/platform';
import { ApplicationRepository } from './application/application.repository';
import type { ApplicationsConfig } from './config';
import { applicationsDatabase } from './database';
import { PortalSubmissionMessageHandler } from './intake/portal-submission.message-handler';
import { ReceiveSubmissionService } from './intake/receive-submission.service';
import { ServiceOfferings } from './intake/service-offerings';
import { ApplicationLifecycle } from './lifecycle/application-lifecycle';
import { DeadlineCalculator } from './lifecycle/deadline-calculator';
import { GetApplicationHttpController } from './read/get-application.http.controller';
import { GetApplicationService } from './read/get-application.service';
import { DistrictOfferingsMessageHandler } from './service-offerings/district-offerings.message-handler';
import { RecordOfferingsService } from './service-offerings/record-offerings.service';

@Module({})
export class ApplicationsModule {
  static register(config: ApplicationsConfig, logger: Logger): DynamicModule {
    return {
      module: ApplicationsModule,
      imports: [
        ServicePlatformModule.forRoot({
          service: 'applications',
          ...applicationsDatabase,
          logger,
          databaseUrl: config.DATABASE_URL,
          databasePoolSize: config.DATABASE_POOL_SIZE,
          kafkaBrokers: config.KAFKA_BROKERS,
          readinessChecks: [{ name: 'service-offerings', provider: ServiceOfferings }],
          consumer: {
            deadLetterTopic: Topics.applicationsDeadLetter,
            handlers: {
              [Topics.portalApplicationSubmitted]: PortalSubmissionMessageHandler,
              [Topics.districtServiceOfferings]: DistrictOfferingsMessageHandler,
            },
            partitionsConsumedConcurrently: config.APPLICATIONS_CONSUMER_CONCURRENCY,
          },
        }),
      ],
      controllers: [GetApplicationHttpController],
      providers: [
        { provide: SchemaValidator, useValue: new SchemaValidator() },
        ApplicationRepository,
        ApplicationLifecycle,
        DeadlineCalculator,
        ServiceOfferings,
        ReceiveSubmissionService,
        PortalSubmissionMessageHandler,
        GetApplicationService,
        RecordOfferingsService,
        DistrictOfferingsMessageHandler,
      ],
    };
  }
}
