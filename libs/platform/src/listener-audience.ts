import type { IncomingMessage, ServerResponse } from 'node:http';
import type { NestExpressApplication } from '@nestjs/platform-express';

/**
 * Who a listener beyond the service's main port is for, and so which routes it serves: only those
 * marked with the `serves` metadata key (a decorator such as `@PublicCallback()`). The main port
 * serves every other route; an `exclusive` audience takes its routes off the main port as well.
 */
export interface ListenerAudience {
  /** Names the listener in logs: `callback`, `mutual-tls`. */
  name: string;
  /** Metadata key of the routes this listener serves; any other route answers 404 here. */
  serves: string;
  /** Whether the routes it serves are served on this listener only (404 on the main port). */
  exclusive: boolean;
}

// Which listener a request arrived on: set by the server that accepted it, before express sees it.
// (Kept by server, not by `socket.localPort`, so a port number's meaning is decided in one place.)
const audienceOfRequest = new WeakMap<IncomingMessage, ListenerAudience>();

/** The audience of the listener a request came through; undefined for the main port. */
export function listenerAudienceOf(request: IncomingMessage): ListenerAudience | undefined {
  return audienceOfRequest.get(request);
}

/** Whether a request came through the service's main port (the internal or operator listener). */
export function onMainListener(request: IncomingMessage): boolean {
  return !audienceOfRequest.has(request);
}

/** The service's express app as the request handler of a server for `audience`. */
export function requestHandlerFor(
  app: NestExpressApplication,
  audience: ListenerAudience,
): (request: IncomingMessage, response: ServerResponse) => void {
  const handle = app.getHttpAdapter().getInstance() as (request: IncomingMessage, response: ServerResponse) => void;
  return (request, response) => {
    audienceOfRequest.set(request, audience);
    handle(request, response);
  };
}
