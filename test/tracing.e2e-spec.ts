import { randomBytes } from 'node:crypto';
import { Topics } from '@umg/messaging';
import { PortalSimulator } from '../tools/simulators/portal/portal-simulator';
import type { CollectedSpan } from '../tools/test/otlp-collector/otlp-collector';
import { eventually } from './support/database';
import { districtApi } from './support/district-api';
import { submitRouted } from './support/lifecycle';
import { testEnv } from './support/test-env';

const collectorUrl = process.env.TEST_OTLP_COLLECTOR_URL;
if (!collectorUrl) throw new Error('TEST_OTLP_COLLECTOR_URL is not set: run the tests with "npm test"');

const kind = { server: 2, client: 3, producer: 4, consumer: 5 } as const;

/** A caller's trace context: the trace id the test follows and the span id its spans hang from. */
function callerContext(): { traceId: string; spanId: string; traceparent: string } {
  const traceId = randomBytes(16).toString('hex');
  const spanId = randomBytes(8).toString('hex');
  return { traceId, spanId, traceparent: `00-${traceId}-${spanId}-01` };
}

async function spansOf(traceId: string): Promise<CollectedSpan[]> {
  const response = await fetch(`${collectorUrl}/spans?traceId=${traceId}`);
  expect(response.status).toBe(200);
  return (await response.json()) as CollectedSpan[];
}

/** The services export spans in batches: wait until the trace holds what `complete` looks for. */
function traceWhen(traceId: string, complete: (spans: CollectedSpan[]) => boolean): Promise<CollectedSpan[]> {
  return eventually(() => spansOf(traceId), complete);
}

/** Every service sends its spans to one collector; one trace follows work across HTTP and Kafka. */
describe('tracing', () => {
  const portal = new PortalSimulator(testEnv.kafkaAs('portal'));

  beforeAll(() => portal.start(), 60_000);
  afterAll(() => portal.stop());

  const submitTraced = async (caller: { traceparent: string }) =>
    (await submitRouted(portal, { districtCode: 'serdika' }, { traceparent: caller.traceparent })).applicationId;

  it('a portal submission is one trace from the portal message through applications to the consumers of its events', async () => {
    const caller = callerContext();
    await submitTraced(caller);

    const byId = (spans: CollectedSpan[]) => new Map(spans.map((span) => [span.spanId, span]));
    const consumersOfEvents = (spans: CollectedSpan[]) => {
      const index = byId(spans);
      return spans.filter(
        (span) =>
          span.kind === kind.consumer &&
          span.service !== 'umg-applications' &&
          span.attributes['messaging.destination.name'] === Topics.applicationEvents &&
          index.get(span.parentSpanId ?? '')?.kind === kind.producer,
      );
    };
    const spans = await traceWhen(caller.traceId, (found) => consumersOfEvents(found).length >= 2);
    const index = byId(spans);

    // applications consumed the portal's message as a child of the portal's span ...
    const intake = spans.find(
      (span) =>
        span.service === 'umg-applications' && span.kind === kind.consumer && span.parentSpanId === caller.spanId,
    );
    expect(intake).toMatchObject({ name: `process ${Topics.portalApplicationSubmitted}` });

    // ... and each consumer of its events hangs from applications' producer span, which hangs
    // from that intake (the context stored with the outbox row, not the relay's own).
    for (const consumer of consumersOfEvents(spans)) {
      const producer = index.get(consumer.parentSpanId!)!;
      expect(producer).toMatchObject({ service: 'umg-applications', name: `send ${Topics.applicationEvents}` });
      expect(producer.parentSpanId).toBe(intake!.spanId);
    }
    const services = new Set(spans.map((span) => span.service));
    expect(services.has('umg-applications')).toBe(true);
    expect(services.size).toBeGreaterThanOrEqual(2);
    expect(spans.every((span) => span.traceId === caller.traceId)).toBe(true);

    // The answer to the portal carries the same trace on.
    const statusProducer = spans.find(
      (span) => span.kind === kind.producer && span.name === `send ${Topics.portalApplicationStatus}`,
    );
    expect(statusProducer?.parentSpanId).toBe(intake!.spanId);
  });

  it('a district API call is one trace through the gateway and the applications service', async () => {
    const applicationId = await submitTraced(callerContext());
    const caller = callerContext();

    const answer = await districtApi('serdika', 'GET', `/v1/applications/${applicationId}`, {
      headers: { traceparent: caller.traceparent },
    });
    expect(answer.status).toBe(200);

    const spans = await traceWhen(caller.traceId, (found) =>
      found.some((span) => span.service === 'umg-applications' && span.kind === kind.server),
    );
    const gatewayServer = spans.find((span) => span.service === 'umg-gateway' && span.kind === kind.server)!;
    expect(gatewayServer).toMatchObject({ name: 'GET /v1/applications/:applicationId', parentSpanId: caller.spanId });
    expect(gatewayServer.attributes['http.response.status_code']).toBe(200);
    const gatewayClient = spans.find(
      (span) => span.service === 'umg-gateway' && span.kind === kind.client && span.name === 'GET applications',
    )!;
    expect(gatewayClient.parentSpanId).toBe(gatewayServer.spanId);
    const applicationsServer = spans.find((span) => span.service === 'umg-applications' && span.kind === kind.server)!;
    expect(applicationsServer.parentSpanId).toBe(gatewayClient.spanId);
    expect(applicationsServer.name).toMatch(/^GET \/internal\/v1\/.*:applicationId$/);
    expect(applicationsServer.name).not.toContain(applicationId);
  });
});
