import { type DynamicModule, Module } from '@nestjs/common';
import type { Logger } from '@umg/logging';
import { ServicePlatformModule } from '@umg/platform';
import type { DistrictsConfig } from './config';
import { districtsDatabase } from './database';

/** The districts service: district registry, service catalogue, rollout phases, back-office adapters. Its features arrive with their issues. */
@Module({})
export class DistrictsModule {
  static register(config: DistrictsConfig, logger: Logger): DynamicModule {
    return {
      module: DistrictsModule,
      imports: [
        ServicePlatformModule.forRoot({
          service: 'districts',
          ...districtsDatabase,
          logger,
          databaseUrl: config.DATABASE_URL,
          databasePoolSize: config.DATABASE_POOL_SIZE,
          kafkaBrokers: config.KAFKA_BROKERS,
        }),
      ],
    };
  }
}
