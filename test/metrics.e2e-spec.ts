import { randomUUID } from 'node:crypto';
import { districts } from '@umg/catalogue';
import { testEnv } from './support/test-env';

const services: Record<string, { url: string; consumes: boolean }> = {
  gateway: { url: testEnv.gatewayUrl, consumes: false },
  applications: { url: required('TEST_APPLICATIONS_URL'), consumes: true },
  payments: { url: testEnv.paymentsUrl, consumes: true },
  delivery: { url: testEnv.deliveryUrl, consumes: true },
  districts: { url: required('TEST_DISTRICTS_URL'), consumes: true },
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
    const { url, consumes } = services[name]!;
    const { text, samples } = await scrape(url);

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

  it('the gateway counts a parameterised route under its template', async () => {
    const { samples } = await scrape(testEnv.gatewayUrl);
    const counted = find(samples, 'umg_http_request_duration_seconds_count', { method: 'GET', status: '401' });
    expect(counted.map((sample) => sample.labels.route)).toContain('/v1/applications/:applicationId');
  });

  it('districts: adapter health of every district', async () => {
    const { samples } = await scrape(services.districts!.url);
    const circuits = find(samples, 'umg_district_circuit_open');
    expect(circuits.map((sample) => sample.labels.district).sort()).toEqual(
      districts.map((district) => district.code).sort(),
    );
    for (const circuit of circuits) expect([0, 1]).toContain(circuit.value);
    for (const district of districts) {
      for (const state of ['pending', 'parked']) {
        expect(find(samples, 'umg_district_delivery_backlog', { district: district.code, state })).toHaveLength(1);
      }
    }
  });
});
