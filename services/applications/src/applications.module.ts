import { exchangeLogSigningKeyFile, kafkaConnection } from '@umg/config';
import { type DynamicModule, Module } from '@nestjs/common';
import { SchemaValidator } from '@umg/contracts';
import type { Logger } from '@umg/logging';
import { consumerLanes, Topics } from '@umg/messaging';
import { exchangeLogSettings, type ServiceIdentity, ServicePlatformModule, tracingSettings } from '@umg/platform';
import { ApplicationRepository } from './application/application.repository';
import type { ApplicationsConfig } from './config';
import { ApplyBackOfficeDecisionService } from './back-office-decisions/apply-back-office-decision.service';
import { AnsweredDocumentsClient } from './back-office-decisions/answered-documents.client';
import { BackOfficeDecisionMessageHandler } from './back-office-decisions/back-office-decision.message-handler';
import { ConformanceSandboxMessageHandler } from './conformance-sandbox/conformance-sandbox.message-handler';
import { OpenSandboxApplicationService } from './conformance-sandbox/open-sandbox-application.service';
import { applicationsDatabase } from './database';
import { DeliveryStatusMessageHandler } from './delivery-outcomes/delivery-status.message-handler';
import { RecordDeliveryOutcomeService } from './delivery-outcomes/record-delivery-outcome.service';
import { PortalSubmissionMessageHandler } from './intake/portal-submission.message-handler';
import { ReceiveSubmissionService } from './intake/receive-submission.service';
import { ServiceOfferings } from './intake/service-offerings';
import { ApplicationLifecycle } from './lifecycle/application-lifecycle';
import { PaymentStatusMessageHandler } from './payment-outcomes/payment-status.message-handler';
import { RecordPaymentOutcomeService } from './payment-outcomes/record-payment-outcome.service';
import { GetApplicationService } from './read/get-application.service';
import { DistrictOfferingsMessageHandler } from './service-offerings/district-offerings.message-handler';
import { RecordOfferingsService } from './service-offerings/record-offerings.service';
import { APPLICATIONS_CONFIG } from './applications-config.token';
import { CalendarHttpController } from './calendar/calendar.http.controller';
import { ChangeDecreeDaysService } from './calendar/change-decree-days.service';
import { ReadCalendarService } from './calendar/read-calendar.service';
import { WorkingCalendar } from './calendar/working-calendar';
import { DeadlineAlertsHttpController } from './deadlines/deadline-alerts.http.controller';
import { DeadlineAlertsService } from './deadlines/deadline-alerts.service';
import { RecomputeDueTimesService } from './deadlines/recompute-due-times.service';
import { DeadlineClock } from './deadlines/deadline-clock';
import { DeadlineMetrics } from './deadlines/deadline-metrics';
import { DeadlineCheck } from './deadlines/deadline-check';
import { DistrictDecisionRunner } from './district-decisions/district-decision-runner';
import { DistrictDecisionsHttpController } from './district-decisions/district-decisions.http.controller';
import { RefuseApplicationService } from './district-decisions/refuse-application.service';
import { RegisterApplicationService } from './district-decisions/register-application.service';
import { RequestPaymentAgainService } from './district-decisions/request-payment-again.service';
import { ReturnForCorrectionsService } from './district-decisions/return-for-corrections.service';
import { StartProcessingService } from './district-decisions/start-processing.service';
import { HandOverAtDeskService } from './district-decisions/hand-over-at-desk.service';
import { SubmitResultService } from './district-decisions/submit-result.service';
import { FindApplicationsService } from './find-applications/find-applications.service';
import { OperatorApplicationsHttpController } from './find-applications/operator-applications.http.controller';
import { WithdrawApplicationService } from './intake/withdraw-application.service';
import { ApplicationFilesService } from './read/application-files.service';
import { ApplicationView } from './read/application-view';
import { ApplicationsReadHttpController } from './read/applications-read.http.controller';
import { ListApplicationsService } from './read/list-applications.service';
import { ApplicationStatisticsService } from './statistics/application-statistics.service';
import { StatisticsHttpController } from './statistics/statistics.http.controller';
import { DeadLettersHttpController } from './dead-letters/dead-letters.http.controller';
import { ApplicationChangesHttpController } from './application-changes/application-changes.http.controller';
import { ChangeWakeups } from './application-changes/change-wakeups';
import { ReadApplicationChangesService } from './application-changes/read-application-changes.service';
import { AnswerFeedbackService } from './feedback/answer-feedback.service';
import { FeedbackFiguresService } from './feedback/feedback-figures.service';
import { FeedbackHttpController } from './feedback/feedback.http.controller';
import { OpenFeedbackInvitationService } from './feedback/open-feedback-invitation.service';
import { BundleSaga } from './life-events/bundle-saga';
import { BundleSagaMessageHandler } from './life-events/bundle-saga.message-handler';
import { RequestLifeEventService } from './life-events/request-life-event.service';

@Module({})
export class ApplicationsModule {
  static register(config: ApplicationsConfig, identity: ServiceIdentity, logger: Logger): DynamicModule {
    return {
      module: ApplicationsModule,
      imports: [
        ServicePlatformModule.forRoot({
          serviceIdentity: { identity, guardRoutes: true },
          service: 'applications',
          ...applicationsDatabase,
          logger,
          databaseUrl: config.DATABASE_URL,
          databasePoolSize: config.DATABASE_POOL_SIZE,
          kafka: kafkaConnection(config),
          kafkaSessionTimeoutMs: config.KAFKA_SESSION_TIMEOUT_MS,
          tracing: tracingSettings(config),
          management: { host: config.HOST, port: config.APPLICATIONS_MANAGEMENT_PORT },
          exchangeLog: exchangeLogSettings(config, exchangeLogSigningKeyFile(config, 'applications')),
          readinessChecks: [{ name: 'service-offerings', provider: ServiceOfferings }],
          consumer: {
            deadLetterTopic: Topics.applicationsDeadLetter,
            replayTopic: Topics.applicationsReplay,
            partitionsConsumedConcurrently: config.APPLICATIONS_CONSUMER_CONCURRENCY,
            lanes: consumerLanes.applications,
          },
        }),
      ],
      controllers: [
        PortalSubmissionMessageHandler,
        PaymentStatusMessageHandler,
        DeliveryStatusMessageHandler,
        DistrictOfferingsMessageHandler,
        BackOfficeDecisionMessageHandler,
        ConformanceSandboxMessageHandler,
        // Its own events: the life-event bundles' saga (docs/life-events.md).
        BundleSagaMessageHandler,
        DeadLettersHttpController,
        ApplicationsReadHttpController,
        DistrictDecisionsHttpController,
        StatisticsHttpController,
        FeedbackHttpController,
        CalendarHttpController,
        DeadlineAlertsHttpController,
        OperatorApplicationsHttpController,
        ApplicationChangesHttpController,
      ],
      providers: [
        { provide: APPLICATIONS_CONFIG, useValue: config },
        { provide: SchemaValidator, useValue: new SchemaValidator() },
        ApplicationRepository,
        ApplicationLifecycle,
        ApplicationView,
        WorkingCalendar,
        DeadlineClock,
        RecomputeDueTimesService,
        ChangeDecreeDaysService,
        ReadCalendarService,
        DeadlineAlertsService,
        ServiceOfferings,
        ReceiveSubmissionService,
        WithdrawApplicationService,
        GetApplicationService,
        RecordOfferingsService,
        ApplyBackOfficeDecisionService,
        AnsweredDocumentsClient,
        OpenSandboxApplicationService,
        ListApplicationsService,
        ApplicationFilesService,
        DistrictDecisionRunner,
        RegisterApplicationService,
        RequestPaymentAgainService,
        ReturnForCorrectionsService,
        RefuseApplicationService,
        StartProcessingService,
        SubmitResultService,
        DeadlineCheck,
        HandOverAtDeskService,
        FindApplicationsService,
        DeadlineMetrics,
        RecordPaymentOutcomeService,
        RecordDeliveryOutcomeService,
        ApplicationStatisticsService,
        ChangeWakeups,
        ReadApplicationChangesService,
        OpenFeedbackInvitationService,
        AnswerFeedbackService,
        FeedbackFiguresService,
        BundleSaga,
        RequestLifeEventService,
      ],
    };
  }
}
