import { type DynamicModule, Module } from '@nestjs/common';
import type { Logger } from '@umg/logging';
import { ServicePlatformModule } from '@umg/platform';
import type { PaymentsConfig } from './config';
import { paymentsDatabase } from './database';

/** The payments service: payment requests, fee schedule, eGov payment system adapter. Its features arrive with their issues. */
@Module({})
export class PaymentsModule {
  static register(config: PaymentsConfig, logger: Logger): DynamicModule {
    return {
      module: PaymentsModule,
      imports: [
        ServicePlatformModule.forRoot({
          service: 'payments',
          ...paymentsDatabase,
          logger,
          databaseUrl: config.DATABASE_URL,
          databasePoolSize: config.DATABASE_POOL_SIZE,
          kafkaBrokers: config.KAFKA_BROKERS,
        }),
      ],
    };
  }
}
