import { exchangeLogSigningKeyFile } from '@umg/config';
import { type DynamicModule, type MiddlewareConsumer, Module, type NestModule, RequestMethod } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { PassportModule } from '@nestjs/passport';
import { urlencoded } from 'express';
import { kafkaConnection } from '@umg/config';
import type { Logger } from '@umg/logging';
import { exchangeLogSettings, type ServiceIdentity, ServicePlatformModule, tracingSettings } from '@umg/platform';
import { ApplicationsClient } from './applications/applications.client';
import { DeliveryClient } from './applications/delivery.client';
import { DistrictPaymentsHttpController } from './applications/district-payments.http.controller';
import { PaymentsClient } from './applications/payments.client';
import { DistrictDecisionsHttpController } from './applications/district-decisions.http.controller';
import { ReadApplicationsHttpController } from './applications/read-applications.http.controller';
import { IdempotentCommands } from './idempotency/idempotent-commands';
import { ClientCertificateRevocations } from './auth/client-certificate-revocations';
import { ClientCertificateStrategy } from './auth/client-certificate.strategy';
import { DistrictApiKeyStrategy } from './auth/district-api-key.strategy';
import { DistrictApiKeys } from './auth/district-api-keys';
import { DistrictTokenStrategy } from './auth/district-token.strategy';
import { DistrictTokens } from './auth/district-tokens';
import { IssueTokenService } from './auth/issue-token.service';
import { OAuthClientAudit } from './auth/oauth-client-audit';
import { OAuthClients } from './auth/oauth-clients';
import { OAuthTokenHttpController } from './auth/oauth-token.http.controller';
import type { GatewayConfig } from './config';
import { GATEWAY_CONFIG } from './gateway-config.token';
import { EmptyPolls } from './exchange-log/empty-polls';
import { ExchangeLogMiddleware } from './exchange-log/exchange-log.middleware';
import { DistrictRateLimiter } from './abuse/district-rate-limiter';
import { DistrictRateLimitGuard } from './abuse/district-rate-limit.guard';
import { gatewayDatabase } from './database';
import { OperatorAccounts } from './operators/operator-accounts';
import { OperatorOidc } from './operators/operator-oidc';
import { OperatorOidcHttpController } from './operators/operator-oidc.http.controller';
import { OperatorPasswordStrategy } from './operators/operator-password.strategy';
import { OperatorSessionHttpController } from './operators/operator-session.http.controller';
import { OperatorSessionStrategy } from './operators/operator-session.strategy';
import { OperatorSessions } from './operators/operator-sessions';
import { OperatorSignIn } from './operators/operator-sign-in.service';
import { OperatorSignInAudit } from './operators/operator-sign-in-audit';
import { SignInThrottle } from './operators/sign-in-throttle';
import { DistrictsClient } from './rollout/districts.client';
import { OnboardingClient } from './onboarding/onboarding.client';
import { OnboardingHttpController } from './onboarding/onboarding.http.controller';
import { OpenDataSource } from './open-data/open-data-source';
import { OpenDataHttpController } from './open-data/open-data.http.controller';
import { CalendarClient } from './calendar/calendar.client';
import { CalendarHttpController } from './calendar/calendar.http.controller';
import { RolloutHttpController } from './rollout/rollout.http.controller';
import { FeesClient } from './fees/fees.client';
import { FeesHttpController } from './fees/fees.http.controller';
import { RolloutService } from './rollout/rollout.service';
import { RecoveryClient } from './recovery/recovery.client';
import { RecoveryHttpController } from './recovery/recovery.http.controller';
import { RecoveryService } from './recovery/recovery.service';
import { ApplicationCaseService } from './help-desk/application-case.service';
import { ApplicationExchanges } from './help-desk/application-exchanges';
import { HelpDeskHttpController } from './help-desk/help-desk.http.controller';
import { OperatorActionAuditInterceptor } from './operator-audit/operator-action-audit.interceptor';
import { OperatorActions } from './operator-audit/operator-actions';
import { OperatorAuditHttpController } from './operator-audit/operator-audit.http.controller';
import { ApplicantRateLimitGuard } from './feedback/applicant-rate-limit.guard';
import { ApplicantFeedbackHttpController } from './feedback/applicant-feedback.http.controller';
import { OperatorFeedbackHttpController } from './feedback/operator-feedback.http.controller';

@Module({})
export class GatewayModule implements NestModule {
  static register(config: GatewayConfig, identity: ServiceIdentity, logger: Logger): DynamicModule {
    return {
      module: GatewayModule,
      imports: [
        PassportModule,
        ServicePlatformModule.forRoot({
          serviceIdentity: { identity, guardRoutes: false },
          service: 'gateway',
          ...gatewayDatabase,
          logger,
          databaseUrl: config.DATABASE_URL,
          databasePoolSize: config.DATABASE_POOL_SIZE,
          kafka: kafkaConnection(config),
          kafkaSessionTimeoutMs: config.KAFKA_SESSION_TIMEOUT_MS,
          tracing: tracingSettings(config),
          exchangeLog: exchangeLogSettings(config, exchangeLogSigningKeyFile(config, 'gateway')),
          management: { host: config.HOST, port: config.GATEWAY_MANAGEMENT_PORT },
        }),
      ],
      controllers: [
        ReadApplicationsHttpController,
        DistrictPaymentsHttpController,
        DistrictDecisionsHttpController,
        OAuthTokenHttpController,
        OperatorSessionHttpController,
        OperatorOidcHttpController,
        RolloutHttpController,
        OnboardingHttpController,
        FeesHttpController,
        RecoveryHttpController,
        CalendarHttpController,
        OpenDataHttpController,
        HelpDeskHttpController,
        OperatorAuditHttpController,
        ApplicantFeedbackHttpController,
        OperatorFeedbackHttpController,
      ],
      providers: [
        { provide: GATEWAY_CONFIG, useValue: config },
        { provide: DistrictApiKeys, useValue: new DistrictApiKeys(config) },
        DistrictApiKeyStrategy,
        ClientCertificateRevocations,
        ClientCertificateStrategy,
        DistrictTokens,
        DistrictTokenStrategy,
        OAuthClients,
        OAuthClientAudit,
        IssueTokenService,
        OperatorAccounts,
        OperatorSessions,
        OperatorSessionStrategy,
        OperatorPasswordStrategy,
        OperatorSignIn,
        OperatorSignInAudit,
        SignInThrottle,
        OperatorOidc,
        ApplicationsClient,
        DeliveryClient,
        PaymentsClient,
        DistrictsClient,
        OnboardingClient,
        RolloutService,
        FeesClient,
        RecoveryClient,
        RecoveryService,
        CalendarClient,
        OpenDataSource,
        ApplicationCaseService,
        ApplicationExchanges,
        DistrictRateLimiter,
        DistrictRateLimitGuard,
        ApplicantRateLimitGuard,
        IdempotentCommands,
        EmptyPolls,
        OperatorActions,
        { provide: APP_INTERCEPTOR, useClass: OperatorActionAuditInterceptor },
      ],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    // The token endpoint takes a form (RFC 6749); the rest of the API takes JSON.
    consumer
      .apply(urlencoded({ extended: false, limit: '8kb' }))
      .forRoutes({ path: 'oauth/token', method: RequestMethod.POST });
    // The applicant's feedback form posts a form too; a small one (a 500-character comment).
    consumer
      .apply(urlencoded({ extended: false, limit: '8kb' }))
      .forRoutes({ path: 'feedback/:token', method: RequestMethod.POST });
    // Every district API exchange and every operator action goes into the signed exchange log
    // (operator reads too: who looked at which district's applications).
    consumer.apply(ExchangeLogMiddleware).forRoutes(
      ReadApplicationsHttpController,
      DistrictDecisionsHttpController,
      DistrictPaymentsHttpController,
      RolloutHttpController,
      OnboardingHttpController,
      FeesHttpController,
      RecoveryHttpController,
      CalendarHttpController,
      OperatorAuditHttpController,
      // Operators' reads of the applicants' comments (they may hold personal data).
      OperatorFeedbackHttpController,
    );
  }
}
