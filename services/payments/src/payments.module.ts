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
  PlatformMetrics,
  ServicePlatformModule,
  tracingSettings,
  type ServiceIdentity,
} from '@umg/platform';
import { ApplicationEventMessageHandler } from './application-events/application-event.message-handler';
import { ConfirmStatusesService } from './confirmation/confirm-statuses.service';
import { DeskPaymentHttpController } from './desk-payment/desk-payment.http.controller';
import { DeskPaymentService } from './desk-payment/desk-payment.service';
import { PaymentSystemCallsHttpController } from './outbound/payment-system-calls.http.controller';
import { DistrictPayeeMessageHandler } from './payees/district-payee.message-handler';
import { DistrictPayees } from './payees/district-payees';
import { PaymentSystemClients } from './payment-system/payment-system-clients';
import { PaymentSystemClientMetrics } from './payment-system/payment-system-client-metrics';
import type { PaymentsConfig } from './config';
import { paymentsDatabase } from './database';
import { FeeSchedule } from './fees/fee-schedule';
import { CatalogueFeesSeed } from './fees/catalogue-fees.seed';
import { FeeChangesHttpController } from './fee-changes/fee-changes.http.controller';
import { FeeChangesService } from './fee-changes/fee-changes.service';
import { PaymentNotificationHttpController } from './notifications/payment-notification.http.controller';
import { ReceiveNotificationService } from './notifications/receive-notification.service';
import { OutboundCalls } from './outbound/outbound-calls';
import { OutboundWorker } from './outbound/outbound-worker';
import { PaymentRequests } from './payment-request/payment-requests';
import { PaymentStatusRecorder } from './payment-request/payment-status-recorder';
import { PAYMENTS_CONFIG } from './payments-config.token';
import { PaymentSystemClient } from './payment-system/payment-system.client';
import { ListPaymentRequestsHttpController } from './read/list-payment-requests.http.controller';
import { ListPaymentStatusReportsHttpController } from './read/list-payment-status-reports.http.controller';
import { ReconcilePaymentsService } from './reconciliation/reconcile-payments.service';
import { ReconciliationJob } from './reconciliation/reconciliation-job';
import { ReconciliationReportService } from './reconciliation/reconciliation-report.service';
import { ReconciliationHttpController } from './reconciliation/reconciliation.http.controller';
import { RequestPaymentService } from './request-payment/request-payment.service';
import { SendPaymentRequest } from './request-payment/send-payment-request';
import { SuspendPaymentService } from './suspend-payment/suspend-payment.service';
import { DeadLettersHttpController } from './dead-letters/dead-letters.http.controller';

/** The payments service: fee schedule, payment requests in the eGov payment system, notifications, reconciliation. */
@Module({})
export class PaymentsModule implements NestModule {
  constructor(private readonly exchanges: ExchangeRecorder) {}

  /** Inbound calls from outside (callbacks) go into the exchange log. */
  configure(consumer: MiddlewareConsumer): void {
    consumer
      .apply(inboundExchangeMiddleware(this.exchanges, () => 'payment-system'))
      .forRoutes(PaymentNotificationHttpController);
  }

  static register(config: PaymentsConfig, identity: ServiceIdentity, logger: Logger): DynamicModule {
    return {
      module: PaymentsModule,
      imports: [
        ServicePlatformModule.forRoot({
          serviceIdentity: { identity, guardRoutes: true },
          service: 'payments',
          ...paymentsDatabase,
          logger,
          databaseUrl: config.DATABASE_URL,
          databasePoolSize: config.DATABASE_POOL_SIZE,
          kafka: kafkaConnection(config),
          kafkaSessionTimeoutMs: config.KAFKA_SESSION_TIMEOUT_MS,
          tracing: tracingSettings(config),
          management: { host: config.HOST, port: config.PAYMENTS_MANAGEMENT_PORT },
          exchangeLog: exchangeLogSettings(config, exchangeLogSigningKeyFile(config, 'payments')),
          consumer: {
            deadLetterTopic: Topics.paymentsDeadLetter,
            replayTopic: Topics.paymentsReplay,
          },
        }),
      ],
      controllers: [
        ApplicationEventMessageHandler,
        DistrictPayeeMessageHandler,
        DeadLettersHttpController,
        PaymentNotificationHttpController,
        ListPaymentRequestsHttpController,
        ListPaymentStatusReportsHttpController,
        ReconciliationHttpController,
        DeskPaymentHttpController,
        PaymentSystemCallsHttpController,
        FeeChangesHttpController,
      ],
      providers: [
        { provide: PAYMENTS_CONFIG, useValue: config },
        { provide: SchemaValidator, useValue: new SchemaValidator() },
        {
          provide: PaymentSystemClient,
          useFactory: (exchanges: ExchangeRecorder, metrics: PlatformMetrics) => {
            const client = new PaymentSystemClient(
              {
                baseUrl: config.PAYMENT_SYSTEM_URL.replace(/\/$/, ''),
                timeoutMs: config.PAYMENT_SYSTEM_TIMEOUT_MS,
                breakerFailures: config.PAYMENTS_BREAKER_FAILURES,
                breakerResetMs: config.PAYMENTS_BREAKER_RESET_MS,
              },
              logger.child({ component: 'payment-system' }),
              exchanges,
            );
            metrics.upstreamCircuit('payment-system', () => client.breaker.state === 'closed');
            return client;
          },
          inject: [ExchangeRecorder, PlatformMetrics],
        },
        FeeSchedule,
        CatalogueFeesSeed,
        FeeChangesService,
        DistrictPayees,
        PaymentSystemClients,
        PaymentSystemClientMetrics,
        DeskPaymentService,
        ConfirmStatusesService,
        PaymentRequests,
        PaymentStatusRecorder,
        OutboundCalls,
        OutboundWorker,
        RequestPaymentService,
        SendPaymentRequest,
        SuspendPaymentService,
        ReceiveNotificationService,
        ReconcilePaymentsService,
        ReconciliationJob,
        ReconciliationReportService,
      ],
    };
  }
}
