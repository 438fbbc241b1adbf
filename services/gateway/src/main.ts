import 'reflect-metadata';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { type NextFunction, type Request, type Response, static as serveStatic } from 'express';
import helmet from 'helmet';
import { createLogger } from '@umg/logging';
import { configOrExit, onMainListener, serviceIdentityOrExit, startService } from '@umg/platform';
import { serveApiDocs } from './api-docs/api-docs.routes';
import { authenticationErrorToProblem } from './auth/authentication-error.http';
import { internetFacingAudience, mutualTlsOptions } from './auth/mutual-tls-listener';
import { loadGatewayConfig } from './config';
import { GatewayModule } from './gateway.module';

async function main(): Promise<void> {
  const config = configOrExit('gateway', () => loadGatewayConfig());
  const logger = createLogger('gateway', config.LOG_LEVEL);
  // The gateway accepts no service calls (its routes are the public edge); it only signs its own.
  const identity = await serviceIdentityOrExit('gateway', config.SERVICE_IDENTITY_DIR, []);
  const tls = mutualTlsOptions(config, logger);
  const consoleFiles = serveStatic(join(__dirname, '../console'));
  // The console's one library, as its package ships it (browser ES modules), under the console's path.
  const litHtml = serveStatic(packageDirectory('lit-html'), { index: false });
  await startService(GatewayModule.register(config, identity, logger), logger, {
    host: config.HOST,
    port: config.GATEWAY_PORT,
    shutdownTimeoutMs: config.SHUTDOWN_TIMEOUT_MS,
    // Security headers on everything the gateway serves (API and console); CORS stays closed:
    // district systems call server to server, and the console is served from the same origin.
    configure: [
      (app) => app.use(helmet()),
      (app) => serveApiDocs(app, packageDirectory('swagger-ui-dist')),
      // The operator console: static files from this origin (the CSP allows no inline script), on
      // the operators' listener only; elsewhere its paths are unknown routes.
      (app) =>
        app.use('/console/vendor/lit-html/', (request: Request, response: Response, next: NextFunction) =>
          onMainListener(request) && request.path.endsWith('.js') ? litHtml(request, response, next) : next(),
        ),
      (app) =>
        app.use('/console/', (request: Request, response: Response, next: NextFunction) =>
          onMainListener(request) ? consoleFiles(request, response, next) : next(),
        ),
    ],
    problemTranslators: [authenticationErrorToProblem],
    listeners: tls ? [{ audience: internetFacingAudience, port: config.GATEWAY_TLS_PORT, tls }] : [],
  });
}

/** Where a package is installed; its exports map hides package.json and resolves to its Node build. */
function packageDirectory(name: string): string {
  const found = (require.resolve.paths(name) ?? []).map((base) => join(base, name)).find((dir) => existsSync(dir));
  if (!found) throw new Error(`${name} is not installed`);
  return found;
}

void main();
