import 'reflect-metadata';
import { createLogger } from '@umg/logging';
import { configOrExit, startService } from '@umg/platform';
import { loadDistrictsConfig } from './config';
import { DistrictsModule } from './districts.module';

async function main(): Promise<void> {
  const config = configOrExit('districts', () => loadDistrictsConfig());
  const logger = createLogger('districts', config.LOG_LEVEL);
  await startService(DistrictsModule.register(config, logger), logger, {
    host: config.HOST,
    port: config.DISTRICTS_PORT,
    shutdownTimeoutMs: config.SHUTDOWN_TIMEOUT_MS,
  });
}

void main();
