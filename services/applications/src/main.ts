import 'reflect-metadata';
import { createLogger } from '@umg/logging';
import { configOrExit, startService } from '@umg/platform';
import { ApplicationsModule } from './applications.module';
import { loadApplicationsConfig } from './config';
import { applicationErrorToProblem } from './lifecycle/application-error.http';

async function main(): Promise<void> {
  const config = configOrExit('applications', () => loadApplicationsConfig());
  const logger = createLogger('applications', config.LOG_LEVEL);
  await startService(ApplicationsModule.register(config, logger), logger, {
    host: config.HOST,
    port: config.APPLICATIONS_PORT,
    shutdownTimeoutMs: config.SHUTDOWN_TIMEOUT_MS,
    problemTranslators: [applicationErrorToProblem],
  });
}

void main();
