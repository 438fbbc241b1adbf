import type { Server } from 'node:http';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { IncomingMessage } from 'node:http';
import { ConfigError } from '@umg/config';
import { exceedsJsonStructures, maxJsonDepth, maxJsonMembers, maxJsonStructures } from '@umg/contracts';
import { createLogger, type Logger, PinoNestLogger } from '@umg/logging';
import { ProblemDetailsFilter, ProblemException, type ProblemTranslator } from '@umg/problem';
import type { NextFunction, Request, Response } from 'express';
import { answerClientError } from './client-error';
import { correlationMiddleware } from './correlation.middleware';
import { httpTracingMiddleware } from './http-tracing.middleware';
import { databaseUnavailable } from './database-unavailable';
import { PlatformMetrics } from './platform-metrics';

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
  const server = app.getHttpServer() as Server;
  server.on('clientError', answerClientError);
  // Slow or stalled clients must not hold sockets open forever.
  server.requestTimeout = 30_000;
  server.headersTimeout = 15_000;
  logger.info({ url: `http://${options.host}:${options.port}` }, 'service started');
  return app;
}

/** Loads config or exits with a clear message; a bad value never reaches the running service. */
export function configOrExit<T>(service: string, load: () => T): T {
  try {
    return load();
  } catch (error) {
    if (error instanceof ConfigError) {
      createLogger(service).fatal(error.message);
      process.stderr.write(`${service}: ${error.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }
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
