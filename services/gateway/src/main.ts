import 'reflect-metadata';
import { createLogger } from '@umg/logging';
import { configOrExit, startService } from '@umg/platform';
import { authenticationErrorToProblem } from './auth/authentication-error.http';
import { startMutualTlsListener } from './auth/mutual-tls-listener';
import { loadGatewayConfig } from './config';
import { GatewayModule } from './gateway.module';

async function main(): Promise<void> {
  const config = configOrExit('gateway', () => loadGatewayConfig());
  const logger = createLogger('gateway', config.LOG_LEVEL);
  const app = await startService(GatewayModule.register(config, logger), logger, {
    host: config.HOST,
    port: config.GATEWAY_PORT,
    shutdownTimeoutMs: config.SHUTDOWN_TIMEOUT_MS,
    problemTranslators: [authenticationErrorToProblem],
  });
  await startMutualTlsListener(app, config, logger);
}

void main();
