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
  TraceFlags,
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
 * the work settles; a thrown error marks the span failed and is rethrown unchanged. Inside a trace
 * that is not sampled no span is made at all: the work runs in the parent's context (so its trace
 * context still flows on) and gets the parent's non-recording span, whose methods do nothing.
 */
export async function inSpan<T>(
  name: string,
  options: { kind: SpanKind; attributes?: Attributes; parent?: Context },
  work: (span: Span) => Promise<T>,
): Promise<T> {
  const parent = options.parent ?? context.active();
  const unsampled = unsampledSpanOf(parent);
  if (unsampled) return options.parent ? context.with(parent, () => work(unsampled)) : work(unsampled);
  return tracer.startActiveSpan(name, { kind: options.kind, attributes: options.attributes }, parent, async (span) => {
    try {
      return await work(span);
    } catch (error) {
      failSpan(span, error);
      throw error;
    } finally {
      span.end();
    }
  });
}

/**
 * The span of `of` when it belongs to a trace that was decided not to be sampled (locally or by
 * the caller): its children would not be recorded either (parent-based sampling), so making them
 * is wasted work. Undefined when there is no trace yet (the sampler decides) or it is sampled.
 */
export function unsampledSpanOf(of: Context = context.active()): Span | undefined {
  const span = trace.getSpan(of);
  if (!span) return undefined;
  const spanContext = span.spanContext();
  return isSpanContextValid(spanContext) && (spanContext.traceFlags & TraceFlags.SAMPLED) === 0 ? span : undefined;
}

export function failSpan(span: Span, error: unknown): void {
  if (error instanceof Error) span.recordException(error);
  span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
}
