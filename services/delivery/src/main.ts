import 'reflect-metadata';
import { createLogger } from '@umg/logging';
import { configOrExit, serviceIdentityOrExit, startEventHandlers, startService } from '@umg/platform';
import { loadDeliveryConfig } from './config';
import { DeliveryModule } from './delivery.module';
import { deliveryErrorToProblem } from './delivery/delivery-error.http';

async function main(): Promise<void> {
  const config = configOrExit('delivery', () => loadDeliveryConfig());
  const logger = createLogger('delivery', config.LOG_LEVEL);
  const identity = await serviceIdentityOrExit('delivery', config.SERVICE_IDENTITY_DIR, ['gateway']);
  const app = await startService(DeliveryModule.register(config, identity, logger), logger, {
    host: config.HOST,
    port: config.DELIVERY_PORT,
    shutdownTimeoutMs: config.SHUTDOWN_TIMEOUT_MS,
    problemTranslators: [deliveryErrorToProblem],
  });
  // Its Kafka handlers (the controllers' @EventPattern methods) on its consumers.
  await startEventHandlers(app);
}

void main();
