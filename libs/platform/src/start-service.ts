import { createServer as createHttpServer, type IncomingMessage, type Server } from 'node:http';
import { createServer as createHttpsServer, type ServerOptions as TlsServerOptions } from 'node:https';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { ConfigError } from '@umg/config';
import { exceedsJsonStructures, maxJsonDepth, maxJsonMembers, maxJsonStructures } from '@umg/contracts';
import { createLogger, type Logger, PinoNestLogger } from '@umg/logging';
import { startKafkaHandlers } from '@umg/messaging';
import { ProblemDetailsFilter, ProblemException, type ProblemTranslator } from '@umg/problem';
import type { NextFunction, Request, Response } from 'express';
import { correlationMiddleware } from './correlation.middleware';
import { httpTracingMiddleware } from './http-tracing.middleware';
import { databaseUnavailable } from './database-unavailable';
import { type ListenerAudience, requestHandlerFor } from './listener-audience';
import { PlatformMetrics } from './platform-metrics';
import { ServiceMessaging } from './service-messaging';
import { loadServiceIdentity, type ServiceIdentity } from './service-identity/service-identity-keys';
import type { ServiceName } from './service-identity/service-token';
import { PUBLIC_CALLBACK } from './public-callback.decorator';
import { limitSlowClients } from './slow-clients';

/** A service's public callback listener: only the `@PublicCallback()` routes, and those only there. */
export const callbackAudience: ListenerAudience = { name: 'callback', serves: PUBLIC_CALLBACK, exclusive: true };

/** Another port of the same application, serving only the routes of its audience. */
export interface ServiceListener {
  audience: ListenerAudience;
  port: number;
  /** Speaks HTTPS with these settings (e.g. mutual TLS); plain HTTP when absent. */
  tls?: TlsServerOptions;
}

export interface ServiceStartOptions {
  host: string;
  port: number;
  shutdownTimeoutMs: number;
  /** Largest JSON body accepted. */
  jsonLimit?: string;
  /** Extra setup of the express app before it listens (e.g. security headers). */
  configure?: ((app: NestExpressApplication) => void)[];
  /** Also accept form-encoded bodies up to this size (e.g. callbacks of state systems); off when unset. */
  formLimit?: string;
  /** Keep each request's raw body (`request.rawBody`), e.g. to verify an HMAC over it. */
  rawBody?: boolean;
  /** Translate the service's own error types into problems. */
  problemTranslators?: ProblemTranslator[];
  /**
   * Listeners beyond `port`, each for one audience (a public callback port, the gateway's
   * internet-facing mutual TLS port): the same app, body limits, timeouts and problem answers.
   */
  listeners?: ServiceListener[];
}

/** Creates, configures and starts a service's HTTP application. */
export async function startService(
  module: unknown,
  logger: Logger,
  options: ServiceStartOptions,
): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(module as never, {
    logger: new PinoNestLogger(logger),
    bodyParser: false,
    // Kept by our own `verify` below (Nest's would replace it): see bodyVerifier.
    rawBody: false,
  });
  app.disable('x-powered-by');
  app.use(httpTracingMiddleware());
  app.use(correlationMiddleware(logger));
  app.use(app.get(PlatformMetrics, { strict: false }).httpMiddleware());
  const keepRaw = options.rawBody ?? false;
  app.useBodyParser('json', { limit: options.jsonLimit ?? '1mb', verify: bodyVerifier(keepRaw, true) });
  if (options.formLimit) {
    app.useBodyParser('urlencoded', {
      extended: false,
      limit: options.formLimit,
      verify: bodyVerifier(keepRaw, false),
    });
  }
  app.use(bodyParserErrors);
  app.useGlobalFilters(new ProblemDetailsFilter(logger, [...(options.problemTranslators ?? []), databaseUnavailable]));
  const listeners = options.listeners ?? [];
  app.enableShutdownHooks();
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      // Graceful shutdown is bounded: a hung dependency must not keep the process forever.
      setTimeout(() => {
        logger.error('graceful shutdown timed out; exiting');
        process.exit(1);
      }, options.shutdownTimeoutMs).unref();
    });
  }
  for (const configure of options.configure ?? []) configure(app);
  await app.listen(options.port, options.host);
  limitSlowClients(app.getHttpServer() as Server);
  logger.info({ url: `http://${options.host}:${options.port}` }, 'service started');
  for (const listener of listeners) await startListener(app, options.host, listener, logger);
  return app;
}

async function startListener(
  app: NestExpressApplication,
  host: string,
  listener: ServiceListener,
  logger: Logger,
): Promise<void> {
  const handler = requestHandlerFor(app, listener.audience);
  const server: Server = listener.tls ? createHttpsServer(listener.tls, handler) : createHttpServer(handler);
  limitSlowClients(server);
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      server.close();
      server.closeIdleConnections();
    });
  }
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(listener.port, host, () => resolve());
  });
  const scheme = listener.tls ? 'https' : 'http';
  logger.info({ url: `${scheme}://${host}:${listener.port}`, listener: listener.audience.name }, 'listener started');
}

/**
 * Starts the service's consumers with its controllers' `@EventPattern` handlers (the Kafka
 * transport, see docs/architecture.md): after `startService`, so after bootstrap and migrations.
 */
export function startEventHandlers(app: INestApplication): Promise<void> {
  return startKafkaHandlers(app, app.get(ServiceMessaging, { strict: false }));
}

/** Loads config or exits with a clear message; a bad value never reaches the running service. */
export function configOrExit<T>(service: string, load: () => T): T {
  try {
    return load();
  } catch (error) {
    return exitOnConfigError(service, error);
  }
}

/** Loads this service's identity keys (and its callers' public keys) or exits like a bad config. */
export async function serviceIdentityOrExit(
  service: ServiceName,
  dir: string | undefined,
  acceptedCallers: readonly ServiceName[],
): Promise<ServiceIdentity> {
  try {
    return await loadServiceIdentity(dir, service, acceptedCallers);
  } catch (error) {
    return exitOnConfigError(service, error);
  }
}

function exitOnConfigError(service: string, error: unknown): never {
  if (error instanceof ConfigError) {
    createLogger(service).fatal(error.message);
    process.stderr.write(`${service}: ${error.message}\n`);
    process.exit(78); // EX_CONFIG
  }
  throw error;
}

/** Too many objects and arrays in a JSON body: refused before parsing. */
class JsonTooComplex extends Error {
  constructor() {
    super(
      `the body holds over ${maxJsonStructures} objects or arrays or over ${maxJsonMembers} members, or nests deeper than ${maxJsonDepth}`,
    );
    this.name = 'JsonTooComplex';
  }
}

/**
 * Runs on the raw body before it is parsed: keeps it when asked (an HMAC is checked over it) and
 * refuses JSON with more values than any real request has, so parsing is never the cost of an attack.
 */
function bodyVerifier(keepRaw: boolean, countStructures: boolean) {
  return (request: IncomingMessage & { rawBody?: Buffer }, _response: unknown, raw: Buffer): void => {
    if (keepRaw) request.rawBody = raw;
    if (countStructures && exceedsJsonStructures(raw)) throw new JsonTooComplex();
  };
}

/** Body parser failures are the client's: name them before NestJS folds them into a plain 400. */
function bodyParserErrors(error: unknown, _request: Request, _response: Response, next: NextFunction): void {
  const type = (error as { type?: unknown })?.type;
  if (type === 'entity.parse.failed') {
    return next(new ProblemException(400, 'malformed_json', 'The request body is not valid JSON'));
  }
  if (type === 'entity.too.large') {
    return next(new ProblemException(413, 'payload_too_large', 'The request body is too large'));
  }
  if (type === 'entity.verify.failed' && (error as Error).name === 'JsonTooComplex') {
    return next(
      new ProblemException(
        413,
        'payload_too_complex',
        'The request body holds too many values',
        (error as Error).message,
      ),
    );
  }
  next(error);
}
