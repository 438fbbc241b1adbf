import {
  type Attributes,
  type Context,
  context,
  isSpanContextValid,
  propagation,
  ROOT_CONTEXT,
  type Span,
  SpanKind,
  SpanStatusCode,
  trace,
} from '@opentelemetry/api';

/** Our instrumentation's tracer; a no-op until `startTracing` registers the SDK. */
export const tracer = trace.getTracer('umg');

export { SpanKind, SpanStatusCode, type Span };

/**
 * W3C trace context (`traceparent`, `tracestate`) of the current span, or of the given one, to
 * store with or send along a message or request; empty outside any trace.
 */
export function traceHeaders(of?: Span): Record<string, string> {
  const headers: Record<string, string> = {};
  propagation.inject(of ? trace.setSpan(ROOT_CONTEXT, of) : context.active(), headers);
  return headers;
}

/** Runs work with `span` as the current span (its children and log lines join its trace). */
export function withSpan<T>(span: Span, work: () => T): T {
  return context.with(trace.setSpan(context.active(), span), work);
}

/** The context a message or request carried in its headers (none: a new trace starts). */
export function contextFromHeaders(headers: Record<string, string | string[] | undefined>): Context {
  return propagation.extract(ROOT_CONTEXT, headers);
}

/** Trace and span id of the current span, for log lines; empty outside any trace. */
export function currentTraceIds(): { trace_id: string; span_id: string } | Record<string, never> {
  const spanContext = trace.getActiveSpan()?.spanContext();
  if (!spanContext || !isSpanContextValid(spanContext)) return {};
  return { trace_id: spanContext.traceId, span_id: spanContext.spanId };
}

/**
 * Runs work inside a new span (child of `parent`, by default the current context) that ends when
 * the work settles; a thrown error marks the span failed and is rethrown unchanged.
 */
export async function inSpan<T>(
  name: string,
  options: { kind: SpanKind; attributes?: Attributes; parent?: Context },
  work: (span: Span) => Promise<T>,
): Promise<T> {
  return tracer.startActiveSpan(
    name,
    { kind: options.kind, attributes: options.attributes },
    options.parent ?? context.active(),
    async (span) => {
      try {
        return await work(span);
      } catch (error) {
        failSpan(span, error);
        throw error;
      } finally {
        span.end();
      }
    },
  );
}

export function failSpan(span: Span, error: unknown): void {
  if (error instanceof Error) span.recordException(error);
  span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
}
