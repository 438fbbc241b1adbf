import { type DynamicModule, Module } from '@nestjs/common';
import type { Logger } from '@umg/logging';
import { ServicePlatformModule } from '@umg/platform';
import type { DeliveryConfig } from './config';
import { deliveryDatabase } from './database';

/** The delivery service: deliveries of notices and results through e-delivery. Its features arrive with their issues. */
@Module({})
export class DeliveryModule {
  static register(config: DeliveryConfig, logger: Logger): DynamicModule {
    return {
      module: DeliveryModule,
      imports: [
        ServicePlatformModule.forRoot({
          service: 'delivery',
          ...deliveryDatabase,
          logger,
          databaseUrl: config.DATABASE_URL,
          databasePoolSize: config.DATABASE_POOL_SIZE,
          kafkaBrokers: config.KAFKA_BROKERS,
        }),
      ],
    };
  }
}
