import { type DynamicModule, Module } from '@nestjs/common';
import { PassportModule } from '@nestjs/passport';
import type { Logger } from '@umg/logging';
import { ServicePlatformModule } from '@umg/platform';
import { ApplicationsClient } from './applications/applications.client';
import { DistrictDecisionsHttpController } from './applications/district-decisions.http.controller';
import { ReadApplicationsHttpController } from './applications/read-applications.http.controller';
import { IdempotentCommands } from './idempotency/idempotent-commands';
import { SchemaValidator } from '@umg/contracts';
import { DistrictApiKeyStrategy } from './auth/district-api-key.strategy';
import { DistrictApiKeys } from './auth/district-api-keys';
import type { GatewayConfig } from './config';
import { GATEWAY_CONFIG } from './gateway-config.token';
import { gatewayDatabase } from './database';

@Module({})
export class GatewayModule {
  static register(config: GatewayConfig, logger: Logger): DynamicModule {
    return {
      module: GatewayModule,
      imports: [
        PassportModule,
        ServicePlatformModule.forRoot({
          service: 'gateway',
          ...gatewayDatabase,
          logger,
          databaseUrl: config.DATABASE_URL,
          databasePoolSize: config.DATABASE_POOL_SIZE,
          kafkaBrokers: config.KAFKA_BROKERS,
        }),
      ],
      controllers: [ReadApplicationsHttpController, DistrictDecisionsHttpController],
      providers: [
        { provide: GATEWAY_CONFIG, useValue: config },
        { provide: DistrictApiKeys, useValue: new DistrictApiKeys(config) },
        DistrictApiKeyStrategy,
        ApplicationsClient,
        IdempotentCommands,
        { provide: SchemaValidator, useValue: new SchemaValidator() },
      ],
    };
  }
}
