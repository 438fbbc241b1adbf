import { exchangeLogSigningKeyFile } from '@umg/config';
import { type DynamicModule, Module } from '@nestjs/common';
import { SchemaValidator } from '@umg/contracts';
import { kafkaConnection } from '@umg/config';
import type { Logger } from '@umg/logging';
import { Topics } from '@umg/messaging';
import { exchangeLogSettings, type ServiceIdentity, ServicePlatformModule, tracingSettings } from '@umg/platform';
import type { DeliveryConfig } from './config';
import { deliveryDatabase } from './database';
import { DELIVERY_CONFIG } from './delivery-config.token';
import { DeliveryHistory } from './delivery/delivery-history';
import { ApplicationsDocumentsClient } from './documents/applications-documents.client';
import { DistrictIdentities } from './e-delivery/district-identities';
import { EDeliveryClient } from './e-delivery/e-delivery.client';
import { InboxPoller } from './intake/inbox-poller';
import { OpenReceivedMessageService } from './intake/open-received-message.service';
import { PaymentEventMessageHandler } from './notices/payment-event.message-handler';
import { ApplicationEventMessageHandler } from './notices/application-event.message-handler';
import { PlanNoticeService } from './notices/plan-notice.service';
import { ListDeliveriesHttpController } from './read/list-deliveries.http.controller';
import { ListDeliveriesService } from './read/list-deliveries.service';
import { ListReceivedMessagesHttpController } from './read/list-received-messages.http.controller';
import { ListReceivedMessagesService } from './read/list-received-messages.service';
import { CheckReceiptService } from './sending/check-receipt.service';
import { DeliveryQueue } from './sending/delivery-queue';
import { DeliveryWorker } from './sending/delivery-worker';
import { RecipientRegistrations } from './sending/recipient-registrations';
import { SendDeliveryService } from './sending/send-delivery.service';
import { DeadLettersHttpController } from './dead-letters/dead-letters.http.controller';

/** The delivery service: notices and results to applicants' e-delivery profiles, receipts, fallbacks. */
@Module({})
export class DeliveryModule {
  static register(config: DeliveryConfig, identity: ServiceIdentity, logger: Logger): DynamicModule {
    return {
      module: DeliveryModule,
      imports: [
        ServicePlatformModule.forRoot({
          serviceIdentity: { identity, guardRoutes: true },
          service: 'delivery',
          ...deliveryDatabase,
          logger,
          databaseUrl: config.DATABASE_URL,
          databasePoolSize: config.DATABASE_POOL_SIZE,
          kafka: kafkaConnection(config),
          kafkaSessionTimeoutMs: config.KAFKA_SESSION_TIMEOUT_MS,
          tracing: tracingSettings(config),
          management: { host: config.HOST, port: config.DELIVERY_MANAGEMENT_PORT },
          exchangeLog: exchangeLogSettings(config, exchangeLogSigningKeyFile(config, 'delivery')),
          consumer: {
            deadLetterTopic: Topics.deliveryDeadLetter,
            replayTopic: Topics.deliveryReplay,
          },
        }),
      ],
      controllers: [
        ApplicationEventMessageHandler,
        PaymentEventMessageHandler,
        DeadLettersHttpController,
        ListDeliveriesHttpController,
        ListReceivedMessagesHttpController,
      ],
      providers: [
        { provide: DELIVERY_CONFIG, useValue: config },
        { provide: SchemaValidator, useValue: new SchemaValidator() },
        DeliveryHistory,
        PlanNoticeService,
        DistrictIdentities,
        EDeliveryClient,
        ApplicationsDocumentsClient,
        DeliveryQueue,
        RecipientRegistrations,
        SendDeliveryService,
        CheckReceiptService,
        DeliveryWorker,
        OpenReceivedMessageService,
        InboxPoller,
        ListDeliveriesService,
        ListReceivedMessagesService,
      ],
    };
  }
}
