import type { NextFunction, Request, Response } from 'express';
import { correlationIdFrom, runWithCorrelation, type Logger } from '@umg/logging';
import { currentTraceIds } from '@umg/tracing';

export const CORRELATION_HEADER = 'x-correlation-id';

/**
 * Gives every request a correlation id (the caller's, when acceptable), echoes it back, and logs
 * one line per request when it ends.
 */
export function correlationMiddleware(logger: Logger) {
  return (request: Request, response: Response, next: NextFunction): void => {
    const correlationId = correlationIdFrom(request.header(CORRELATION_HEADER));
    response.setHeader(CORRELATION_HEADER, correlationId);
    // Read now: the 'finish' listener below does not run in the request's trace context.
    const traceIds = currentTraceIds();
    const started = process.hrtime.bigint();
    runWithCorrelation({ correlationId }, () => {
      response.on('finish', () => {
        if (request.path.startsWith('/health')) return;
        logger.info(
          {
            correlationId,
            ...traceIds,
            method: request.method,
            path: request.path,
            status: response.statusCode,
            durationMs: Number(process.hrtime.bigint() - started) / 1e6,
          },
          'http request',
        );
      });
      next();
    });
  };
}
