import { randomUUID } from 'node:crypto';
import { districts } from '@umg/catalogue';
import { PortalSimulator } from '../tools/simulators/portal/portal-simulator';
import { query } from './support/database';
import { submitRouted } from './support/lifecycle';
import { managementUrl, testEnv } from './support/test-env';

/** `metricsUrl`: where /metrics is served, every service's management port (never its own ports). */
const service = (name: Parameters<typeof managementUrl>[0], url: string, consumes: boolean) => ({
  url,
  consumes,
  metricsUrl: managementUrl(name),
});
const services: Record<string, { url: string; metricsUrl: string; consumes: boolean }> = {
  gateway: service('gateway', testEnv.gatewayUrl, false),
  applications: service('applications', required('TEST_APPLICATIONS_URL'), true),
  payments: service('payments', testEnv.paymentsUrl, true),
  delivery: service('delivery', testEnv.deliveryUrl, true),
  districts: service('districts', required('TEST_DISTRICTS_URL'), true),
};

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the tests with "npm test"`);
  return value;
}

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** Parses the Prometheus text format (enough of it for these checks). */
function parse(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)/.exec(line);
    if (!match) throw new Error(`not a sample line: ${line}`);
    const labels: Record<string, string> = {};
    for (const label of (match[2] ?? '').matchAll(/([a-zA-Z_]+)="((?:[^"\\]|\\.)*)"/g)) labels[label[1]!] = label[2]!;
    samples.push({ name: match[1]!, labels, value: Number(match[3]) });
  }
  return samples;
}

async function scrape(url: string): Promise<{ text: string; samples: Sample[] }> {
  const response = await fetch(`${url}/metrics`);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toContain('text/plain');
  const text = await response.text();
  return { text, samples: parse(text) };
}

const find = (samples: Sample[], name: string, labels: Record<string, string> = {}) =>
  samples.filter(
    (sample) => sample.name === name && Object.entries(labels).every(([key, value]) => sample.labels[key] === value),
  );

/** Every service exposes Prometheus metrics: process, HTTP per route template, messaging and adapter health. */
describe('metrics', () => {
  const identifier = randomUUID();

  beforeAll(async () => {
    for (const { url } of Object.values(services)) {
      for (let i = 0; i < 3; i++) expect((await fetch(`${url}/health/live`)).status).toBe(200);
      // An unknown path carrying an identifier: it must be counted, but never named in a label.
      expect((await fetch(`${url}/no-such-thing/${identifier}`)).status).toBe(404);
    }
    // A parameterised route: counted under its template, not under the identifier.
    expect((await fetch(`${testEnv.gatewayUrl}/v1/applications/${identifier}`)).status).toBe(401);
  });

  it.each(Object.keys(services))('%s: process, HTTP, outbox, dead letters and consumer lag', async (name) => {
    const { metricsUrl, consumes } = services[name]!;
    const { text, samples } = await scrape(metricsUrl);

    expect(text).not.toContain(identifier);
    expect(find(samples, 'process_cpu_user_seconds_total', { service: name })[0]!.value).toBeGreaterThan(0);
    expect(find(samples, 'nodejs_heap_size_used_bytes')[0]!.value).toBeGreaterThan(0);

    const live = find(samples, 'umg_http_request_duration_seconds_count', {
      method: 'GET',
      route: '/health/live',
      status: '200',
    });
    expect(live[0]!.value).toBeGreaterThanOrEqual(3);
    expect(
      find(samples, 'umg_http_request_duration_seconds_count', { route: 'unmatched', status: '404' })[0]!.value,
    ).toBeGreaterThanOrEqual(1);
    expect(
      find(samples, 'umg_http_request_duration_seconds_bucket', { route: '/health/live', le: '+Inf' })[0]!.value,
    ).toBe(live[0]!.value);

    const backlog = find(samples, 'umg_outbox_backlog_messages')[0]!.value;
    expect(backlog).toBeGreaterThanOrEqual(0);
    const age = find(samples, 'umg_outbox_oldest_unpublished_age_seconds')[0]!.value;
    expect(age).toBeGreaterThanOrEqual(0);
    if (backlog === 0) expect(age).toBe(0);

    if (consumes) {
      const lag = find(samples, 'umg_kafka_consumer_lag_messages', { group: `umg.${name}` });
      expect(lag.length).toBeGreaterThanOrEqual(6);
      for (const partition of lag) expect(partition.value).toBeGreaterThanOrEqual(0);
      const open = find(samples, 'umg_dead_letter_messages', { state: 'open' });
      expect(open.length).toBeGreaterThanOrEqual(1);
      for (const topic of open) expect(topic.value).toBeGreaterThanOrEqual(0);
    }
  });

  it.each(Object.keys(services))(
    '%s serves metrics and readiness details on its management port only, not on its own port',
    async (name) => {
      const { url, metricsUrl } = services[name]!;
      const onOwnPort = await fetch(`${url}/metrics`);
      expect(onOwnPort.status).toBe(404);
      expect(await onOwnPort.text()).not.toContain('umg_http_request_duration_seconds');
      const publicReadiness = await fetch(`${url}/health/ready`);
      expect({ status: publicReadiness.status, body: await publicReadiness.json() }).toEqual({
        status: 200,
        body: { status: 'up' },
      });
      const detailed = await fetch(`${metricsUrl}/health/ready`);
      expect(detailed.status).toBe(200);
      expect(await detailed.json()).toMatchObject({
        status: 'up',
        checks: { postgres: { status: 'up' }, kafka: { status: 'up' } },
      });
    },
  );

  it('the gateway counts a parameterised route under its template', async () => {
    const { samples } = await scrape(services.gateway!.metricsUrl);
    const counted = find(samples, 'umg_http_request_duration_seconds_count', { method: 'GET', status: '401' });
    expect(counted.map((sample) => sample.labels.route)).toContain('/v1/applications/:applicationId');
  });

  it('districts: adapter health of every district', async () => {
    const { samples } = await scrape(services.districts!.metricsUrl);
    const circuits = find(samples, 'umg_district_circuit_open');
    expect(circuits.map((sample) => sample.labels.district).sort()).toEqual(
      districts.map((district) => district.code).sort(),
    );
    for (const circuit of circuits) expect([0, 1]).toContain(circuit.value);
    for (const district of districts) {
      for (const state of ['pending', 'parked']) {
        expect(find(samples, 'umg_district_push_backlog', { district: district.code, state })).toHaveLength(1);
      }
      const [lastDelivery] = find(samples, 'umg_district_last_push_timestamp_seconds', { district: district.code });
      expect(lastDelivery!.value).toBeGreaterThanOrEqual(0);
      expect(lastDelivery!.value).toBeLessThanOrEqual(Date.now() / 1000);
    }
  });

  it.each([
    ['payments', 'payment-system'],
    ['delivery', 'e-delivery'],
  ])('%s: the circuit in front of %s', async (name, upstream) => {
    const { samples } = await scrape(services[name]!.metricsUrl);
    const [circuit] = find(samples, 'umg_upstream_circuit_open', { upstream });
    expect([0, 1]).toContain(circuit!.value);
  });

  describe('applications: deadlines and the funnel per district', () => {
    const portal = new PortalSimulator(testEnv.kafkaAs('portal'));
    beforeAll(() => portal.start(), 60_000);
    afterAll(() => portal.stop());

    it('counts overdue and at-risk open applications, as the database has them', async () => {
      const { applicationId: overdue } = await submitRouted(portal, { districtCode: 'bankya' });
      const { applicationId: atRisk } = await submitRouted(portal, { districtCode: 'bankya' });
      // Time passes: one application is a day past due, the other is due within the hour.
      await query(`UPDATE applications.application SET due_at = now() - interval '1 day' WHERE id = $1`, [overdue]);
      await query(`UPDATE applications.application SET due_at = now() + interval '1 hour' WHERE id = $1`, [atRisk]);

      const { samples } = await scrape(services.applications!.metricsUrl);

      for (const district of districts) {
        for (const state of ['overdue', 'at_risk']) {
          expect(find(samples, 'umg_applications_deadline', { district: district.code, state })).toHaveLength(1);
        }
      }
      const figure = (state: string) =>
        find(samples, 'umg_applications_deadline', { district: 'bankya', state })[0]!.value;
      expect(figure('overdue')).toBeGreaterThanOrEqual(1);
      expect(figure('at_risk')).toBeGreaterThanOrEqual(1);
      // The funnel: statuses move on, but together they are every application of the district.
      const [stored] = await query<{ count: number }>(
        `SELECT count(*)::int AS count FROM applications.application WHERE district_code = 'bankya'`,
      );
      const funnel = find(samples, 'umg_applications', { district: 'bankya' });
      expect(funnel.length).toBeGreaterThanOrEqual(1);
      expect(funnel.reduce((sum, sample) => sum + sample.value, 0)).toBe(stored!.count);
    });
  });
});
