import type { NextFunction, Request, Response } from 'express';
import { contextFromHeaders, SpanKind, SpanStatusCode, tracer, withSpan } from '@umg/tracing';
import { routeTemplate } from './route-template';

/**
 * One server span per request, continuing the caller's trace (`traceparent`) when it sent one; the
 * rest of the request runs inside it, so outgoing calls, outbox messages and log lines join the
 * trace. Named after the route template once routing has matched, never after the raw path.
 */
export function httpTracingMiddleware() {
  return (request: Request, response: Response, next: NextFunction): void => {
    if (request.path.startsWith('/health')) return next();
    const span = tracer.startSpan(
      request.method,
      { kind: SpanKind.SERVER, attributes: { 'http.request.method': request.method } },
      contextFromHeaders(request.headers),
    );
    response.once('close', () => {
      const route = routeTemplate(request);
      span.updateName(`${request.method} ${route}`);
      span.setAttribute('http.route', route);
      span.setAttribute('http.response.status_code', response.statusCode);
      if (response.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    });
    withSpan(span, next);
  };
}
