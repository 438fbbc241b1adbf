import { context, propagation } from '@opentelemetry/api';
import { inSpan, SpanKind, SpanStatusCode } from './spans';

/**
 * A `fetch` that records each call as a client span towards `peer` (e.g. "payment-system") and
 * sends the span's trace context along, so the callee's spans join the caller's trace. Works with
 * plain `fetch(url, init)` calls and as openapi-fetch's `fetch` (which passes a Request).
 */
export function tracedFetch(peer: string): typeof fetch {
  return (input, init) => {
    const method = (init?.method ?? (input instanceof Request ? input.method : 'GET')).toUpperCase();
    return inSpan(
      `${method} ${peer}`,
      { kind: SpanKind.CLIENT, attributes: { 'http.request.method': method, 'peer.service': peer } },
      async (span) => {
        let response: Response;
        if (input instanceof Request && !init?.headers) {
          propagation.inject(context.active(), input.headers, headerSetter);
          response = await fetch(input, init);
        } else {
          const headers = new Headers(init?.headers);
          propagation.inject(context.active(), headers, headerSetter);
          response = await fetch(input, { ...init, headers });
        }
        span.setAttribute('http.response.status_code', response.status);
        if (response.status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
        return response;
      },
    );
  };
}

const headerSetter = { set: (headers: Headers, key: string, value: string) => headers.set(key, value) };
