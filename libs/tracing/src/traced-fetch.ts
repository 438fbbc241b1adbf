import { context, propagation } from '@opentelemetry/api';
import { inSpan, SpanKind, SpanStatusCode, unsampledSpanOf } from './spans';

/**
 * A `fetch` that records each call as a client span towards `peer` (e.g. "payment-system") and
 * sends the span's trace context along, so the callee's spans join the caller's trace. Works with
 * plain `fetch(url, init)` calls and as openapi-fetch's `fetch` (which passes a Request).
 */
export function tracedFetch(peer: string): typeof fetch {
  return (input, init) => {
    const method = (init?.method ?? (input instanceof Request ? input.method : 'GET')).toUpperCase();
    return tracedCall(peer, method, async (traceContext) => {
      if (input instanceof Request && !init?.headers) {
        for (const [name, value] of Object.entries(traceContext)) input.headers.set(name, value);
        return fetch(input, init);
      }
      const headers = new Headers(init?.headers);
      for (const [name, value] of Object.entries(traceContext)) headers.set(name, value);
      return fetch(input, { ...init, headers });
    });
  };
}

/**
 * An outgoing call to `peer` as a client span, for any HTTP client: `call` gets the trace context
 * headers (`traceparent`, `tracestate`) to send, so the callee continues the trace, and answers
 * with the response's status. In a trace that is not sampled no span is made: the headers carry
 * the caller's context (flagged not sampled), so the callee makes none either.
 */
export function tracedCall<T extends { status: number }>(
  peer: string,
  method: string,
  call: (traceContext: Record<string, string>) => Promise<T>,
): Promise<T> {
  if (unsampledSpanOf()) {
    const traceContext: Record<string, string> = {};
    propagation.inject(context.active(), traceContext);
    return call(traceContext);
  }
  return inSpan(
    `${method} ${peer}`,
    { kind: SpanKind.CLIENT, attributes: { 'http.request.method': method, 'peer.service': peer } },
    async (span) => {
      const traceContext: Record<string, string> = {};
      propagation.inject(context.active(), traceContext);
      const response = await call(traceContext);
      span.setAttribute('http.response.status_code', response.status);
      if (response.status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      return response;
    },
  );
}
