import { W3CTraceContextPropagator } from '@opentelemetry/core';
import {
  InMemorySpanExporter,
  ParentBasedSampler,
  SimpleSpanProcessor,
  TraceIdRatioBasedSampler,
} from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { contextFromHeaders, inSpan, SpanKind, tracedCall } from './index';

/**
 * Sampling as the services run it (parent-based, a ratio for new traces; here 0, so only traces a
 * caller sampled are kept): a trace that is not sampled costs no spans, yet its context still
 * flows on, flagged not sampled, so the next service makes none either.
 */
describe('sampled tracing', () => {
  const exported = new InMemorySpanExporter();
  const provider = new NodeTracerProvider({
    sampler: new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(0) }),
    spanProcessors: [new SimpleSpanProcessor(exported)],
  });
  const sampledParent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
  const unsampledParent = '00-0af7651916cd43dd8448eb211c80319d-b7ad6b7169203332-00';
  const answered = { status: 200 };

  beforeAll(() => provider.register({ propagator: new W3CTraceContextPropagator() }));
  afterAll(() => provider.shutdown());
  beforeEach(() => exported.reset());

  it('makes no span for a call or nested work in a trace that is not sampled, and passes the trace on as not sampled', async () => {
    let sent: Record<string, string> = {};
    let innerSpanId = '';
    await inSpan('GET /v1/applications/:id', { kind: SpanKind.SERVER }, async (outer) => {
      await inSpan('inner', { kind: SpanKind.INTERNAL }, async (inner) => {
        innerSpanId = inner.spanContext().spanId;
        expect(innerSpanId).toBe(outer.spanContext().spanId);
      });
      await tracedCall('applications', 'GET', async (traceContext) => {
        sent = traceContext;
        return answered;
      });
    });

    expect(exported.getFinishedSpans()).toHaveLength(0);
    expect(sent.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-00$/);
  });

  it("continues a caller's unsampled trace without spans, keeping its trace id", async () => {
    let sent: Record<string, string> = {};
    await inSpan(
      'process topic',
      { kind: SpanKind.CONSUMER, parent: contextFromHeaders({ traceparent: unsampledParent }) },
      () =>
        tracedCall('payments', 'POST', async (traceContext) => {
          sent = traceContext;
          return answered;
        }),
    );

    expect(exported.getFinishedSpans()).toHaveLength(0);
    expect(sent.traceparent).toMatch(/^00-0af7651916cd43dd8448eb211c80319d-[0-9a-f]{16}-00$/);
  });

  it('records every span of a trace a caller sampled, whatever the ratio, each the child of the one before', async () => {
    let sent: Record<string, string> = {};
    await inSpan(
      'GET /v1/applications/:id',
      { kind: SpanKind.SERVER, parent: contextFromHeaders({ traceparent: sampledParent }) },
      () =>
        tracedCall('applications', 'GET', async (traceContext) => {
          sent = traceContext;
          return { status: 503 };
        }),
    );

    const spans = exported.getFinishedSpans();
    const server = spans.find((span) => span.name === 'GET /v1/applications/:id')!;
    const client = spans.find((span) => span.name === 'GET applications')!;
    expect(spans).toHaveLength(2);
    expect(server.parentSpanContext?.spanId).toBe('b7ad6b7169203331');
    expect(client.parentSpanContext?.spanId).toBe(server.spanContext().spanId);
    expect(client.attributes['http.response.status_code']).toBe(503);
    expect(sent.traceparent).toBe(`00-0af7651916cd43dd8448eb211c80319c-${client.spanContext().spanId}-01`);
  });
});
