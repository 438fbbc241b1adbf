import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { ConfigError } from '@umg/config';
import { createLogger, type Logger, PinoNestLogger } from '@umg/logging';
import { ProblemDetailsFilter, type ProblemTranslator } from '@umg/problem';
import { correlationMiddleware } from './correlation.middleware';

export interface ServiceStartOptions {
  host: string;
  port: number;
  shutdownTimeoutMs: number;
  /** Largest JSON body accepted. */
  jsonLimit?: string;
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
    rawBody: options.rawBody ?? false,
  });
  app.disable('x-powered-by');
  app.use(correlationMiddleware(logger));
  app.useBodyParser('json', { limit: options.jsonLimit ?? '1mb' });
  app.useGlobalFilters(new ProblemDetailsFilter(logger, options.problemTranslators));
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
  await app.listen(options.port, options.host);
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
