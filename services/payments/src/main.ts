import 'reflect-metadata';
import { createLogger } from '@umg/logging';
import { callbackAudience, configOrExit, serviceIdentityOrExit, startEventHandlers, startService } from '@umg/platform';
import { loadPaymentsConfig } from './config';
import { paymentErrorToProblem } from './payment-error.http';
import { PaymentsModule } from './payments.module';

async function main(): Promise<void> {
  const config = configOrExit('payments', () => loadPaymentsConfig());
  const logger = createLogger('payments', config.LOG_LEVEL);
  const identity = await serviceIdentityOrExit('payments', config.SERVICE_IDENTITY_DIR, ['gateway']);
  const app = await startService(PaymentsModule.register(config, identity, logger), logger, {
    host: config.HOST,
    port: config.PAYMENTS_PORT,
    // The callbacks of the payment system, on a port of their own: the one port published for them.
    listeners: [{ audience: callbackAudience, port: config.PAYMENTS_CALLBACK_PORT }],
    shutdownTimeoutMs: config.SHUTDOWN_TIMEOUT_MS,
    // The payment system's notifications are form-encoded.
    formLimit: '64kb',
    problemTranslators: [paymentErrorToProblem],
  });
  // Its Kafka handlers (the controllers' @EventPattern methods) on its consumers.
  await startEventHandlers(app);
}

void main();
