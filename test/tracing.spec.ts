import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { createLogger } from '@umg/logging';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { contextFromHeaders, inSpan, SpanKind, tracedFetch, traceHeaders, tracer } from '@umg/tracing';

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/**
 * The tracing helpers on the real SDK (spans kept in memory here; the OTLP export to a collector is
 * checked end to end by test/tracing.e2e-spec.ts): the hand-offs the services make (outbox row →
 * relay → consumer, outbound HTTP) keep one trace, and log lines carry its ids.
 */
describe('tracing', () => {
  const exported = new InMemorySpanExporter();
  const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exported)] });
  // Answers with the trace context a request came with.
  const echo = createServer((request, response) => response.end(request.headers.traceparent ?? ''));
  let echoUrl: string;

  beforeAll(async () => {
    provider.register({ propagator: new W3CTraceContextPropagator() });
    echoUrl = await listen(echo);
  });

  afterAll(async () => {
    await provider.shutdown();
    await new Promise((resolve) => echo.close(resolve));
  });

  it('keeps one trace from a request through the stored outbox context, the relay and the consumer, and logs its ids', async () => {
    const lines: string[] = [];
    const logger = createLogger(
      'unit',
      'info',
      new Writable({
        write(chunk: Buffer, _encoding, done) {
          lines.push(chunk.toString());
          done();
        },
      }),
    );

    let stored: Record<string, string> = {};
    let requestIds = { traceId: '', spanId: '' };
    let echoed = '';
    await inSpan('GET /things/:id', { kind: SpanKind.SERVER }, async (span) => {
      requestIds = span.spanContext();
      logger.info('handling');
      stored = traceHeaders(); // what the outbox keeps with the row
      echoed = await (await tracedFetch('echo')(`${echoUrl}/`)).text();
    });

    // Later, outside the request: the relay publishes, a consumer processes.
    const producer = tracer.startSpan('send things', { kind: SpanKind.PRODUCER }, contextFromHeaders(stored));
    const sent = traceHeaders(producer);
    producer.end();
    let consumerSpanId = '';
    await inSpan('process things', { kind: SpanKind.CONSUMER, parent: contextFromHeaders(sent) }, async (span) => {
      consumerSpanId = span.spanContext().spanId;
    });

    expect(JSON.parse(lines[0]!)).toMatchObject({ trace_id: requestIds.traceId, span_id: requestIds.spanId });
    expect(stored.traceparent).toBe(`00-${requestIds.traceId}-${requestIds.spanId}-01`);
    expect(echoed).toMatch(new RegExp(`^00-${requestIds.traceId}-[0-9a-f]{16}-01$`));

    const spans = exported.getFinishedSpans().map((span) => ({
      name: span.name,
      kind: span.kind,
      traceId: span.spanContext().traceId,
      spanId: span.spanContext().spanId,
      parentSpanId: span.parentSpanContext?.spanId,
    }));
    const named = (name: string) => spans.find((span) => span.name === name)!;
    expect(spans.map((span) => span.name).sort()).toEqual([
      'GET /things/:id',
      'GET echo',
      'process things',
      'send things',
    ]);
    expect(spans.every((span) => span.traceId === requestIds.traceId)).toBe(true);
    expect(named('GET echo')).toMatchObject({ kind: SpanKind.CLIENT, parentSpanId: requestIds.spanId });
    expect(echoed.split('-')[2]).toBe(named('GET echo').spanId);
    expect(named('send things')).toMatchObject({ kind: SpanKind.PRODUCER, parentSpanId: requestIds.spanId });
    expect(named('process things')).toMatchObject({
      kind: SpanKind.CONSUMER,
      spanId: consumerSpanId,
      parentSpanId: named('send things').spanId,
    });
  });
});
