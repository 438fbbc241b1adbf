import 'reflect-metadata';
import { createLogger } from '@umg/logging';
import { configOrExit, serviceIdentityOrExit, startEventHandlers, startService } from '@umg/platform';
import { ApplicationsModule } from './applications.module';
import { loadApplicationsConfig } from './config';
import { calendarErrorToProblem } from './calendar/calendar-error.http';
import { applicationErrorToProblem } from './lifecycle/application-error.http';
import { feedbackErrorToProblem } from './feedback/feedback-error.http';

async function main(): Promise<void> {
  const config = configOrExit('applications', () => loadApplicationsConfig());
  const logger = createLogger('applications', config.LOG_LEVEL);
  const identity = await serviceIdentityOrExit('applications', config.SERVICE_IDENTITY_DIR, ['gateway', 'delivery']);
  const app = await startService(ApplicationsModule.register(config, identity, logger), logger, {
    host: config.HOST,
    port: config.APPLICATIONS_PORT,
    shutdownTimeoutMs: config.SHUTDOWN_TIMEOUT_MS,
    problemTranslators: [applicationErrorToProblem, calendarErrorToProblem, feedbackErrorToProblem],
  });
  // Its Kafka handlers (the controllers' @EventPattern methods) on its consumers.
  await startEventHandlers(app);
}

void main();
