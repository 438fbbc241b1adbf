import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { districts } from '@umg/catalogue';
import { initPki, pkiFiles } from '../pki/certificate-authority';
import {
  startEDelivery,
  createTopics,
  ensurePostgres,
  kafkaScript,
  repoRoot,
  type ServiceName,
  ServiceProcess,
  serviceNames,
  startPaymentSystemSimulator,
  type SystemLayout,
  localBroker,
} from '../dev/local-system';
import { localKafkaConnection } from '../dev/kafka-identities';
import { type RoundRobinProxy, startRoundRobinProxy } from '../dev/round-robin-proxy';
import { PortalSimulator } from '../simulators/portal/portal-simulator';
import { randomSubmission } from '../simulators/portal/submission-factory';

/**
 * `npm run bench:scale`: throughput of each stage of the lifecycle with one and with two
 * instances of the service doing it, on a system of its own (its own broker, database and ports,
 * far from the test runner's). Each consuming stage is measured by draining a backlog: the
 * stage's service is stopped, N applications pile up before it in Kafka, then k instances start
 * and the rate is taken from the database's own timestamps (first to last). The HTTP stage
 * (registration through the gateway into applications) is measured with concurrent clients.
 * The slowest stage with one instance is the bottleneck; the figures go to bench-results/.
 */
const base = Number(process.env.SCALE_BENCH_PORT_BASE ?? 30_000);
const count = Number(process.env.SCALE_BENCH_APPLICATIONS ?? 200);
const concurrency = Number(process.env.SCALE_BENCH_CONCURRENCY ?? 16);
// Rounds alternate one and two instances, so a burst of load from elsewhere hits both alike.
const repeats = Number(process.env.SCALE_BENCH_REPEATS ?? 2);
const dataDir = join(repoRoot, '.data/scale-bench');
const pkiDir = join(dataDir, 'pki');
const pki = pkiFiles(pkiDir);
const pilots = ['serdika', 'bankya', 'triaditsa', 'nadezhda'];
const apiKey = (district: string) => `bench-key-${district}-0001`;

const layout: SystemLayout = {
  dataDir,
  databaseUrl: process.env.SCALE_BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/umg_scale_bench',
  kafkaPort: base + 92,
  kafkaBrokers: `127.0.0.1:${base + 92}`,
  ports: { gateway: base, applications: base + 101, payments: base + 102, delivery: base + 103, districts: base + 104 },
  callbackPorts: { payments: base + 122, districts: base + 124 },
  managementPorts: {
    gateway: base + 10,
    applications: base + 191,
    payments: base + 192,
    delivery: base + 193,
    districts: base + 194,
  },
  paymentSystemPort: base + 105,
  eDeliveryPort: base + 106,
  backOfficePorts: { json: base + 201, soap: base + 202, soap12: base + 203, nestedJson: base + 204 },
  extraEnv: {
    NODE_ENV: 'test',
    LOG_LEVEL: 'info',
    DATABASE_POOL_SIZE: '5',
    DISTRICT_API_KEYS: districts.map((district) => `${district.code}=${apiKey(district.code)}`).join(','),
    // The bench measures throughput, not the per-district rate limit.
    GATEWAY_RATE_LIMIT_PER_SECOND: '100000',
    GATEWAY_RATE_LIMIT_BURST: '100000',
    PAYMENTS_SEND_POLL_MS: '100',
    DELIVERY_POLL_INTERVAL_MS: '100',
    DELIVERY_RECEIPT_POLL_MS: '500',
    GATEWAY_TLS_CERT_FILE: pki.serverCert,
    GATEWAY_TLS_KEY_FILE: pki.serverKey,
    GATEWAY_CLIENT_CA_FILE: pki.caCert,
    OAUTH_SIGNING_KEY_FILE: pki.oauthSigningKey,
    OAUTH_CLIENTS_FILE: pki.oauthClients,
  },
};

/** Instance i of a service listens 40·i above the first; the gateway's TLS port likewise. */
function instance(name: ServiceName, index: number): ServiceProcess {
  return new ServiceProcess(name, layout, {
    instance: index,
    port: layout.ports[name] + 40 * index,
    env: { GATEWAY_TLS_PORT: String(base + 443 + 40 * index) },
  });
}

const running = new Map<ServiceName, ServiceProcess[]>(serviceNames.map((name) => [name, []]));

/** Runs exactly k instances of the service. */
async function scale(name: ServiceName, k: number): Promise<void> {
  const list = running.get(name)!;
  while (list.length > k) await list.pop()!.stop();
  const started: ServiceProcess[] = [];
  while (list.length < k) {
    const service = instance(name, list.length);
    service.start();
    list.push(service);
    started.push(service);
  }
  await Promise.all(started.map((service) => service.waitReady(120_000)));
}

async function sql<T>(text: string, params: unknown[] = []): Promise<T[]> {
  const client = new Client({ connectionString: layout.databaseUrl });
  await client.connect();
  try {
    return (await client.query(text, params)).rows as T[];
  } finally {
    await client.end();
  }
}

async function until<T>(probe: () => Promise<T>, done: (value: T) => boolean, what: string): Promise<T> {
  const deadline = Date.now() + 600_000;
  for (;;) {
    const value = await probe();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not done in 10 minutes (last: ${JSON.stringify(value)})`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

interface Span {
  n: number;
  first: Date;
  last: Date;
}

/** Items per second between the first and the last item's timestamp. */
const rate = (span: Span) => (span.n - 1) / Math.max(0.001, (span.last.getTime() - span.first.getTime()) / 1000);

interface StageFigure {
  stage: string;
  service: string;
  instances: number;
  items: number;
  seconds: number;
  perSecond: number;
}

async function round(k: number, portal: PortalSimulator): Promise<StageFigure[]> {
  const figures: StageFigure[] = [];
  const record = (stage: string, service: string, span: Span, perSecond = rate(span)) => {
    const figure = {
      stage,
      service,
      instances: k,
      items: span.n,
      seconds: (span.last.getTime() - span.first.getTime()) / 1000,
      perSecond,
    };
    figures.push(figure);
    console.log(`  ${stage.padEnd(44)} ${k} instance(s): ${figure.perSecond.toFixed(1)}/s`);
  };

  // Intake: the portal's submissions wait in Kafka; then k applications instances route them.
  await scale('applications', 0);
  const submissions = Array.from({ length: count }, (_, index) =>
    randomSubmission({ districtCode: pilots[index % pilots.length]!, serviceNumber: 2016, urgency: 'fast' }),
  );
  const portalIds = submissions.map((submission) => submission.portalApplicationId);
  for (const submission of submissions) await portal.submit(submission);
  await scale('applications', k);
  const intake = await until(
    () =>
      sql<{ n: string; first: Date; last: Date }>(
        `SELECT count(*) AS n, min(received_at) AS first, max(received_at) AS last
         FROM applications.application WHERE portal_application_id = ANY($1) AND status = 'routed'`,
        [portalIds],
      ),
    (rows) => Number(rows[0]!.n) === count,
    'intake',
  );
  record('intake (portal → routed)', 'applications', { ...intake[0]!, n: count });
  const applications = await sql<{ id: string; district_code: string; version: number }>(
    `SELECT id, district_code, version FROM applications.application WHERE portal_application_id = ANY($1)`,
    [portalIds],
  );

  // Registration through k gateways (one address) into k applications instances, while payments
  // and delivery are stopped so their backlogs build up.
  await scale('payments', 0);
  await scale('delivery', 0);
  await scale('gateway', k);
  const gateways = running.get('gateway')!;
  const proxy: RoundRobinProxy = await startRoundRobinProxy(gateways.map((gateway) => gateway.url));
  const started = new Date();
  const queue = [...applications];
  const worker = async () => {
    for (let next = queue.shift(); next; next = queue.shift()) {
      const response = await fetch(`${proxy.url}/v1/applications/${next.id}/registration`, {
        method: 'POST',
        headers: {
          'X-Api-Key': apiKey(next.district_code),
          'Content-Type': 'application/json',
          'If-Match': `"${next.version}"`,
          'Idempotency-Key': `bench-${next.id}`,
        },
        body: JSON.stringify({ registrationNumber: `BENCH-${next.id.slice(0, 8)}` }),
      });
      if (response.status !== 200)
        throw new Error(`registration ${next.id}: ${response.status} ${await response.text()}`);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  // Wall clock: every call was made within it.
  const finished = new Date();
  record(
    'registration (district API → applications)',
    'gateway + applications',
    { n: count, first: started, last: finished },
    count / ((finished.getTime() - started.getTime()) / 1000),
  );
  await proxy.close();
  const ids = applications.map((application) => application.id);

  // Payment requests: k payments instances take the backlog and send each request to the payment system.
  await scale('payments', k);
  const payments = await until(
    () =>
      sql<{ n: string; first: Date; last: Date }>(
        `SELECT count(*) AS n, min(created_at) AS first, max(updated_at) AS last
         FROM payments.payment_request WHERE application_id = ANY($1::uuid[]) AND payment_system_id IS NOT NULL`,
        [ids],
      ),
    (rows) => Number(rows[0]!.n) === count,
    'payment requests',
  );
  record('payment requests (event → sent to payment system)', 'payments', { ...payments[0]!, n: count });

  // Registration notices: k delivery instances take the backlog and send each to e-delivery.
  await scale('delivery', k);
  const notices = await until(
    () =>
      sql<{ n: string; first: Date; last: Date }>(
        `SELECT count(DISTINCT d.id) AS n, min(c.changed_at) AS first, max(c.changed_at) AS last
         FROM delivery.delivery d JOIN delivery.delivery_status_change c ON c.delivery_id = d.id
         WHERE d.application_id = ANY($1::uuid[]) AND d.e_delivery_message_id IS NOT NULL`,
        [ids],
      ),
    (rows) => Number(rows[0]!.n) === count,
    'notices',
  );
  record('registration notices (event → sent to e-delivery)', 'delivery', { ...notices[0]!, n: count });
  return figures;
}

async function main(): Promise<void> {
  console.log(
    `scale bench: ${count} applications per stage, ${cpus().length} CPU(s), load ${loadavg()[0]!.toFixed(2)}`,
  );
  mkdirSync(dataDir, { recursive: true });
  await ensurePostgres(layout.databaseUrl);
  for (const schema of serviceNames) await sql(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  rmSync(pkiDir, { recursive: true, force: true });
  await initPki(pkiDir);
  writeFileSync(pki.oauthClients, '[]\n');
  kafkaScript('stop', layout);
  rmSync(join(dataDir, `kafka-${layout.kafkaPort}`), { recursive: true, force: true });
  kafkaScript('start', layout);
  const stopPaymentSystem = startPaymentSystemSimulator(layout, { PAYMENT_SIMULATOR_SETTLE_MS: '0' });
  const eDelivery = await startEDelivery(layout, 500);
  const portal = new PortalSimulator(localKafkaConnection(localBroker(layout), 'portal'));
  try {
    await createTopics(layout);
    await Promise.all(serviceNames.map((name) => scale(name, 1)));
    await portal.start({ listen: false });
    const figures: StageFigure[] = [];
    for (let repeat = 1; repeat <= repeats; repeat++) {
      for (const k of [1, 2]) {
        console.log(`round ${repeat}/${repeats}, ${k} instance(s) of each stage’s service:`);
        figures.push(...(await round(k, portal)));
      }
    }
    report(figures);
  } finally {
    await portal.stop().catch(() => undefined);
    for (const name of serviceNames) await scale(name, 0).catch(() => undefined);
    await stopPaymentSystem();
    await eDelivery.stop();
    kafkaScript('stop', layout);
  }
}

function report(figures: StageFigure[]): void {
  // The best of the rounds: the one least disturbed by whatever else the machine was doing.
  const best = (stage: string, k: number) =>
    Math.max(...figures.filter((figure) => figure.stage === stage && figure.instances === k).map((f) => f.perSecond));
  const samples = (stage: string, k: number) =>
    figures.filter((figure) => figure.stage === stage && figure.instances === k).map((f) => round1(f.perSecond));
  const stages = [...new Map(figures.map((figure) => [figure.stage, figure.service]))].map(([stage, service]) => ({
    stage,
    service,
    oneInstancePerSecond: round1(best(stage, 1)),
    twoInstancesPerSecond: round1(best(stage, 2)),
    ratio: Math.round((best(stage, 2) / best(stage, 1)) * 100) / 100,
    samples: { one: samples(stage, 1), two: samples(stage, 2) },
  }));
  const bottleneck = [...stages].sort((a, b) => a.oneInstancePerSecond - b.oneInstancePerSecond)[0]!;
  const result = {
    at: new Date().toISOString(),
    applicationsPerStage: count,
    registrationConcurrency: concurrency,
    rounds: repeats,
    cpus: cpus().length,
    loadAverage: loadavg().map(round1),
    bottleneck,
    stages,
    note: 'One machine: the instances share its CPUs with PostgreSQL, Kafka and the simulators; figures are noisy, compare ratios rather than absolutes.',
  };
  const markdown = [
    `# Scale bench, ${result.at}`,
    '',
    `${count} applications per stage, ${repeats} round(s) each of 1 and 2 instances (best shown, all in brackets), ${result.cpus} CPU(s), load average ${result.loadAverage.join(' ')}.`,
    '',
    '| stage | service | 1 instance (/s) | 2 instances (/s) | ratio |',
    '| --- | --- | ---: | ---: | ---: |',
    ...stages.map(
      (stage) =>
        `| ${stage.stage} | ${stage.service} | ${stage.oneInstancePerSecond} (${stage.samples.one.join(', ')}) | ${stage.twoInstancesPerSecond} (${stage.samples.two.join(', ')}) | ${stage.ratio} |`,
    ),
    '',
    `Bottleneck with one instance: **${bottleneck.stage}** (${bottleneck.service}): ${bottleneck.oneInstancePerSecond}/s → ${bottleneck.twoInstancesPerSecond}/s with two instances (× ${bottleneck.ratio}).`,
    '',
    result.note,
    '',
  ].join('\n');
  const dir = join(repoRoot, 'bench-results');
  mkdirSync(dir, { recursive: true });
  const stamp = result.at.replace(/[:.]/g, '-');
  writeFileSync(join(dir, `scale-${stamp}.json`), `${JSON.stringify(result, null, 2)}\n`);
  writeFileSync(join(dir, `scale-${stamp}.md`), markdown);
  console.log(`\n${markdown}`);
  console.log(`written to bench-results/scale-${stamp}.{json,md}`);
}

function round1(value: number): number {
  return Math.round(value * 10) / 10;
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
