import 'reflect-metadata';
import { join } from 'node:path';
import helmet from 'helmet';
import { createLogger } from '@umg/logging';
import { configOrExit, serviceIdentityOrExit, startService } from '@umg/platform';
import { authenticationErrorToProblem } from './auth/authentication-error.http';
import { startMutualTlsListener } from './auth/mutual-tls-listener';
import { loadGatewayConfig } from './config';
import { GatewayModule } from './gateway.module';

async function main(): Promise<void> {
  const config = configOrExit('gateway', () => loadGatewayConfig());
  const logger = createLogger('gateway', config.LOG_LEVEL);
  // The gateway accepts no service calls (its routes are the public edge); it only signs its own.
  const identity = await serviceIdentityOrExit('gateway', config.SERVICE_IDENTITY_DIR, []);
  const app = await startService(GatewayModule.register(config, identity, logger), logger, {
    host: config.HOST,
    port: config.GATEWAY_PORT,
    shutdownTimeoutMs: config.SHUTDOWN_TIMEOUT_MS,
    // Security headers on everything the gateway serves (API and console); CORS stays closed:
    // district systems call server to server, and the console is served from the same origin.
    configure: [
      (app) => app.use(helmet()),
      // The operator console: static files from this origin (the CSP allows no inline script).
      (app) => app.useStaticAssets(join(__dirname, '../console'), { prefix: '/console/' }),
    ],
    problemTranslators: [authenticationErrorToProblem],
  });
  await startMutualTlsListener(app, config, logger);
}

void main();
