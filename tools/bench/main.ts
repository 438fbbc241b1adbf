import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { districts, findDistrict } from '@umg/catalogue';
import type { ApplicationStatusChanged } from '@umg/contracts';
import {
  demoAdministrator,
  demoOnboarding,
  demoOperatorSession,
  onboardDistrict,
  pilotServices,
} from '../dev/demo-onboarding';
import { saveOperator } from '../../services/gateway/src/operators/operator-accounts';
import { withGatewayDatabase } from '../pki/gateway-database';
import {
  startEDelivery,
  createTopics,
  ensurePostgres,
  kafkaScript,
  repoRoot,
  serviceNames,
  startBackOfficeSimulators,
  startPaymentSystemSimulator,
  startServices,
  stopBackOfficeSimulators,
  stopServices,
  type SystemLayout,
  offsetPorts,
  localBroker,
} from '../dev/local-system';
import { localKafkaConnection } from '../dev/kafka-identities';
import { initPki, pkiFiles } from '../pki/certificate-authority';
import { DistrictPullClient } from '../simulators/district-pull/district-pull-client';
import { EDeliveryControl } from '../simulators/e-delivery/e-delivery-control';
import { simulatedUnitIdentifier } from '../simulators/e-delivery/unit-identifier';
import { portalFiling } from '../simulators/portal/e-delivery-filing';
import { PortalSimulator } from '../simulators/portal/portal-simulator';
import { randomSubmission, type SubmissionOptions } from '../simulators/portal/submission-factory';
import { bareHttpServer, httpLoad, kafkaPipe, pgbenchTps } from './baselines';
import { type CpuProfile, hottestFunctions, timeByPlace } from './cpu-profile';
import { ProcessSampler } from './process-sampler';
import { type BenchResult, markdownReport, percentiles, timelineSvg } from './report';

/**
 * `npm run bench`: the whole gateway on its own broker and database, driven by the simulators
 * through complete lifecycles in all 24 districts (pull, JSON push, SOAP push), with baselines
 * measured in the same run. Settings: BENCH_RATE (offered applications/s, default 300),
 * BENCH_DURATION_S (default 300), BENCH_LATENCY_RATE (default half the rate), BENCH_LATENCY_S
 * (default 60), BENCH_PORT_OFFSET (default 6000).
 */
const env = process.env;
const rate = Number(env.BENCH_RATE ?? 300);
const durationS = Number(env.BENCH_DURATION_S ?? 300);
const latencyRate = Number(env.BENCH_LATENCY_RATE ?? rate / 2);
const latencyS = Number(env.BENCH_LATENCY_S ?? 60);
const drainS = Number(env.BENCH_DRAIN_S ?? 60);
const offset = Number(env.BENCH_PORT_OFFSET ?? 6000);
const warmUpS = Math.min(30, Math.floor(durationS / 5));

const dataDir = join(repoRoot, '.data/bench');
const pkiDir = join(dataDir, 'pki');
const pki = pkiFiles(pkiDir);
const layout: SystemLayout = {
  dataDir,
  databaseUrl: env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/umg_bench',
  ...offsetPorts(offset),
  extraEnv: {
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
    DISTRICT_API_KEYS: districts.map((district) => `${district.code}=bench-key-${district.code}-0001`).join(','),
    GATEWAY_RATE_LIMIT_PER_SECOND: '100000',
    GATEWAY_RATE_LIMIT_BURST: '100000',
    PAYMENTS_SEND_POLL_MS: '200',
    DELIVERY_POLL_INTERVAL_MS: '200',
    DELIVERY_RECEIPT_POLL_MS: '250',
    E_DELIVERY_INBOX_POLL_MS: '200',
    PUSH_POLL_INTERVAL_MS: '200',
    GATEWAY_TLS_PORT: String(4443 + offset),
    GATEWAY_TLS_CERT_FILE: pki.serverCert,
    GATEWAY_TLS_KEY_FILE: pki.serverKey,
    GATEWAY_CLIENT_CA_FILE: pki.caCert,
    OAUTH_SIGNING_KEY_FILE: pki.oauthSigningKey,
    OAUTH_CLIENTS_FILE: pki.oauthClients,
    OAUTH_ISSUER: 'urn:sofia:umg:gateway:bench',
  },
  // Each service writes a V8 CPU profile when it stops: where the time went (BENCH_PROFILE=0: off).
  ...(env.BENCH_PROFILE === '0'
    ? {}
    : { serviceNodeArgs: ['--cpu-prof', `--cpu-prof-dir=${join(dataDir, 'profiles')}`] }),
};
const apiKey = (code: string) => `bench-key-${code}-0001`;

async function resetDatabase(): Promise<void> {
  const url = new URL(layout.databaseUrl);
  const name = url.pathname.slice(1);
  url.pathname = '/postgres';
  const admin = new Client({ connectionString: url.toString() });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
}

function pidsOf(pattern: string): number[] {
  try {
    return execFileSync('pgrep', ['-f', pattern], { encoding: 'utf8' }).trim().split('\n').map(Number).filter(Boolean);
  } catch {
    return [];
  }
}

/** When each application reached each status (ms since the epoch, by the bench's clock). */
class Tracker {
  readonly submittedAt = new Map<string, number>();
  readonly reached = new Map<string, Map<string, number>>();
  readonly rejected = new Set<string>();

  record(message: ApplicationStatusChanged): void {
    const seen = this.reached.get(message.portalApplicationId) ?? new Map<string, number>();
    if (!seen.has(message.status)) seen.set(message.status, Date.parse(message.occurredAt));
    this.reached.set(message.portalApplicationId, seen);
  }

  stage(from: string, to: string, ids: Iterable<string>): number[] {
    const values: number[] = [];
    for (const id of ids) {
      const seen = this.reached.get(id);
      const start = from === 'submitted' ? this.submittedAt.get(id) : seen?.get(from);
      const end = seen?.get(to);
      if (start !== undefined && end !== undefined) values.push(end - start);
    }
    return values;
  }
}

/** Each district's office, working as fast as the API lets it. */
function runOffices(gatewayUrl: string): () => Promise<void> {
  const push = new Set<string>(['sredets', 'oborishte']);
  let running = true;
  const loops = districts.map(async (district) => {
    const client = new DistrictPullClient({
      gatewayUrl,
      apiKey: apiKey(district.code),
      registrationPrefix: `B${district.no}`,
      processToResult: true,
      registerRouted: !push.has(district.code),
      concurrency: 8,
    });
    // Learns of new and changed applications from the changes feed (long-poll), not by listing.
    while (running) {
      const failed = await client.followChanges(2).then(
        () => false,
        () => true,
      );
      if (failed) await new Promise((resolve) => setTimeout(resolve, 200));
    }
  });
  return async () => {
    running = false;
    await Promise.all(loops);
  };
}

/**
 * The portal's traffic: a realistic mix over all 24 districts, at `perSecond`, for `seconds`. The
 * pilots' applications go as the portal really sends them — e-delivery messages to their inboxes,
 * which the gateway reads — the others on the internal Kafka seam.
 */
async function offer(
  portal: PortalSimulator,
  inboxes: EDeliveryControl,
  tracker: Tracker,
  perSecond: number,
  seconds: number,
  target: () => SubmissionOptions,
): Promise<string[]> {
  const ids: string[] = [];
  const started = Date.now();
  let sent = 0;
  while (Date.now() - started < seconds * 1000) {
    const due = Math.floor(((Date.now() - started) / 1000) * perSecond);
    const batch: Promise<void>[] = [];
    while (sent < due) {
      const submission = randomSubmission({ ...target(), attachments: 1 });
      sent += 1;
      if (findDistrict(submission.districtCode)?.pilot) {
        batch.push(
          portalFiling(submission, simulatedUnitIdentifier(submission.districtCode)).then(async (filing) => {
            tracker.submittedAt.set(filing.orn, Date.now());
            ids.push(filing.orn);
            await inboxes.deposit(filing);
          }),
        );
        continue;
      }
      tracker.submittedAt.set(submission.portalApplicationId, Date.now());
      ids.push(submission.portalApplicationId);
      batch.push(portal.submit(submission));
    }
    await Promise.all(batch);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return ids;
}

async function main(): Promise<number> {
  const loadBefore = loadavg();
  const startedAt = new Date().toISOString();
  const resultsDir = join(repoRoot, 'bench-results', startedAt.replace(/[:.]/g, '-'));
  mkdirSync(resultsDir, { recursive: true });
  mkdirSync(dataDir, { recursive: true });
  await ensurePostgres('postgres://postgres@127.0.0.1:5432/postgres');
  await resetDatabase();
  rmSync(pkiDir, { recursive: true, force: true });
  await initPki(pkiDir);
  writeFileSync(pki.oauthClients, '[]\n');
  const brokerDir = join(dataDir, `kafka-${layout.kafkaPort}`);
  kafkaScript('stop', layout);
  rmSync(brokerDir, { recursive: true, force: true });
  kafkaScript('start', layout);
  const eDelivery = await startEDelivery(layout, 100);
  const stopPaymentSystem = startPaymentSystemSimulator(layout, {
    PAYMENT_SIMULATOR_AUTO_PAY_SHARE: '1',
    PAYMENT_SIMULATOR_AUTO_PAY_MIN_MS: '100',
    PAYMENT_SIMULATOR_AUTO_PAY_MAX_MS: '300',
    PAYMENT_SIMULATOR_SETTLE_MS: '0',
  });
  let services;
  let backOffices;
  let finished: BenchResult | undefined;
  let servicePids = new Map<number, string>();
  rmSync(join(dataDir, 'profiles'), { recursive: true, force: true });
  const portal = new PortalSimulator(localKafkaConnection(localBroker(layout), 'portal'));
  const inboxes = new EDeliveryControl(eDelivery.url);
  const tracker = new Tracker();
  try {
    await createTopics(layout);
    backOffices = await startBackOfficeSimulators(layout);
    services = await startServices(layout);
    const gatewayUrl = services.get('gateway')!.url;
    await portal.start();
    portal.onStatus((message) => {
      if (message.type === 'status-changed') tracker.record(message.body);
      else tracker.rejected.add(message.body.portalApplicationId);
    });
    const stopOffices = runOffices(gatewayUrl);

    // Every district takes part: the 20 that are not pilots go through conformance to pilot.
    console.log('bench: onboarding the 20 non-pilot districts (conformance, pilot, services)');
    const toOnboard = districts.filter((district) => !district.pilot).map((district) => district.code);
    // Through the gateway's operator API, as the demo administrator (a demo account: test profile only).
    await withGatewayDatabase(layout.databaseUrl, (dataSource) =>
      saveOperator(dataSource, demoAdministrator.username, 'administrator', demoAdministrator.password, { demo: true }),
    );
    const session = await demoOperatorSession(gatewayUrl);
    const onboarded = (
      await Promise.all(
        toOnboard.map(async (code) => ((await onboardDistrict(session, code, () => undefined)) ? code : null)),
      )
    ).filter((code): code is string => code !== null);
    console.log(
      `bench: ${onboarded.length} districts onboarded (${demoOnboarding.map((d) => d.style).join(', ')} styles)`,
    );
    // Let the offerings reach intake before the load.
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const pilots = districts.filter((district) => district.pilot).map((district) => district.code);
    const target = (): SubmissionOptions => {
      // Pilots carry most of the traffic (every service); the others their first services.
      if (Math.random() < 0.6 || onboarded.length === 0) {
        return { districtCode: pilots[Math.floor(Math.random() * pilots.length)]! };
      }
      return {
        districtCode: onboarded[Math.floor(Math.random() * onboarded.length)]!,
        serviceNumber: pilotServices[Math.floor(Math.random() * pilotServices.length)]!,
      };
    };

    const serviceProcesses = [...services.values()];
    const sampler = new ProcessSampler(() => [
      ...serviceProcesses.map((service) => ({ name: service.name, pids: service.pid ? [service.pid] : [] })),
      { name: 'kafka broker (JVM)', pids: pidsOf(`kafka-${layout.kafkaPort}`) },
      { name: 'postgresql (all backends)', pids: pidsOf('postgres') },
      { name: 'bench + simulators in it', pids: [process.pid] },
    ]);

    console.log(`bench: latency phase, ${latencyRate}/s for ${latencyS} s`);
    const latencyIds = await offer(portal, inboxes, tracker, latencyRate, latencyS, target);
    await new Promise((resolve) => setTimeout(resolve, 5_000));
    const routedLatency = percentiles(tracker.stage('submitted', 'routed', latencyIds));

    console.log(`bench: throughput phase, ${rate}/s for ${durationS} s`);
    sampler.start();
    const loadStarted = Date.now();
    const ids = await offer(portal, inboxes, tracker, rate, durationS, target);
    const loadEnded = Date.now();
    console.log(`bench: draining for up to ${drainS} s`);
    const drainUntil = Date.now() + drainS * 1000;
    while (Date.now() < drainUntil) {
      const done = ids.filter((id) => tracker.reached.get(id)?.has('delivered') || tracker.rejected.has(id)).length;
      if (done >= ids.length) break;
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
    const processes = sampler.stop();
    await stopOffices();

    // Sustained rate: lifecycles completed within the load window after warm-up.
    const windowStart = loadStarted + warmUpS * 1000;
    const deliveredAt = ids
      .map((id) => tracker.reached.get(id)?.get('delivered'))
      .filter((at): at is number => at !== undefined);
    const inWindow = deliveredAt.filter((at) => at >= windowStart && at <= loadEnded).length;
    const sustained = inWindow / Math.max(1, (loadEnded - windowStart) / 1000);
    const stagePairs: [string, string][] = [
      ['submitted', 'routed'],
      ['routed', 'registered'],
      ['registered', 'awaiting_payment'],
      ['awaiting_payment', 'paid'],
      ['paid', 'in_progress'],
      ['in_progress', 'result_ready'],
      ['result_ready', 'delivered'],
      ['submitted', 'delivered'],
    ];
    const stages = stagePairs.map(([from, to]) => ({
      stage: `${from} → ${to}`,
      latencyMs: percentiles(tracker.stage(from, to, ids)),
    }));
    const seconds = Math.ceil((Date.now() - loadStarted) / 1000);
    const timeline = Array.from({ length: seconds }, (_, second) => ({
      second,
      submitted: 0,
      routed: 0,
      delivered: 0,
    }));
    const bucket = (at: number | undefined) =>
      at === undefined ? undefined : timeline[Math.floor((at - loadStarted) / 1000)];
    for (const id of ids) {
      const submitted = bucket(tracker.submittedAt.get(id));
      if (submitted) submitted.submitted += 1;
      const routed = bucket(tracker.reached.get(id)?.get('routed'));
      if (routed) routed.routed += 1;
      const delivered = bucket(tracker.reached.get(id)?.get('delivered'));
      if (delivered) delivered.delivered += 1;
    }

    console.log('bench: baselines');
    const sample = await fetch(`${gatewayUrl}/v1/applications?limit=1`, {
      headers: { 'X-Api-Key': apiKey('serdika') },
    });
    const page = (await sample.json()) as { items: { id: string }[] };
    const applicationId = page.items[0]?.id ?? '00000000-0000-4000-8000-000000000000';
    const gatewayRead = await httpLoad(
      `${gatewayUrl}/v1/applications/${applicationId}`,
      { 'X-Api-Key': apiKey('serdika') },
      16,
      10,
    );
    const body = await (
      await fetch(`${gatewayUrl}/v1/applications/${applicationId}`, { headers: { 'X-Api-Key': apiKey('serdika') } })
    ).text();
    const bare = await bareHttpServer(body);
    const bareRead = await httpLoad(`${bare.url}/v1/applications/${applicationId}`, {}, 16, 10);
    await bare.stop();
    const pipe = await kafkaPipe(localKafkaConnection(localBroker(layout), 'admin'), 20_000);
    const pg = await pgbenchTps('postgres://postgres@127.0.0.1:5432/postgres', 15);

    const peakNodeRss = Math.max(
      ...processes.filter((p) => (serviceNames as readonly string[]).includes(p.name)).map((p) => p.peakRssMb),
    );
    const result: BenchResult = {
      startedAt,
      machine: { cores: cpus().length, loadAverageBefore: loadBefore, node: process.version },
      offeredPerSecond: rate,
      durationSeconds: durationS,
      submitted: ids.length,
      completed: deliveredAt.length,
      sustainedPerSecond: sustained,
      latencyPhase: { offeredPerSecond: latencyRate, submittedToRouted: routedLatency },
      stages,
      processes,
      baselines: [
        {
          name: 'bare HTTP (node:http), same route and body',
          figure: bareRead.perSecond,
          unit: 'req/s',
          note: `p99 ${bareRead.latency.p99.toFixed(1)} ms, 16 connections`,
        },
        { name: 'kafkajs produce → consume', figure: pipe.perSecond, unit: 'msg/s', note: pipe.note },
        { name: 'PostgreSQL (pgbench)', figure: pg.tps, unit: 'tx/s', note: pg.note },
      ],
      comparisons: [
        {
          what: 'GET /v1/applications/{id}: gateway vs bare HTTP (req/s)',
          gateway: gatewayRead.perSecond,
          baseline: bareRead.perSecond,
          ratio: gatewayRead.perSecond / Math.max(1, bareRead.perSecond),
        },
        {
          what: 'lifecycles/s vs Kafka messages/s (a lifecycle is ~25 messages)',
          gateway: sustained,
          baseline: pipe.perSecond,
          ratio: sustained / Math.max(1, pipe.perSecond),
        },
        {
          what: 'lifecycles/s vs PostgreSQL tx/s (a lifecycle is ~40 transactions)',
          gateway: sustained,
          baseline: pg.tps,
          ratio: sustained / Math.max(1, pg.tps),
        },
      ],
      timeline,
      targets: [
        {
          name: 'sustained complete lifecycles',
          target: '≥ 300/s for 5 min',
          measured: `${sustained.toFixed(1)}/s for ${durationS} s`,
          met: sustained >= 300 && durationS >= 300,
        },
        {
          name: 'submitted → routed p99 at half load',
          target: '< 250 ms',
          measured: `${routedLatency.p99.toFixed(0)} ms at ${latencyRate}/s`,
          met: routedLatency.count > 0 && routedLatency.p99 < 250,
        },
        {
          name: 'Node.js process RSS',
          target: '< 250 MB each',
          measured: `${peakNodeRss.toFixed(0)} MB peak`,
          met: peakNodeRss < 250,
        },
      ],
      profiles: [],
      notes: [
        `gateway GET under load: ${gatewayRead.perSecond.toFixed(0)} req/s, p99 ${gatewayRead.latency.p99.toFixed(1)} ms, ${gatewayRead.errors} errors`,
        `${tracker.rejected.size} submissions rejected by intake; ${ids.length - deliveredAt.length} not delivered by the end of the drain`,
        'everything (broker, database, five services, simulators, load) shares the same cores; see docs/performance.md',
      ],
    };
    servicePids = new Map(serviceProcesses.map((service) => [service.pid ?? 0, service.name]));
    finished = result;
  } finally {
    await portal.stop().catch(() => undefined);
    if (services) await stopServices(services);
    await stopPaymentSystem();
    await eDelivery.stop();
    if (backOffices) await stopBackOfficeSimulators(backOffices);
    kafkaScript('stop', layout);
  }
  if (!finished) return 1;
  // The services wrote their CPU profiles as they stopped.
  finished.profiles = readProfiles(servicePids);
  writeFileSync(join(resultsDir, 'results.json'), `${JSON.stringify(finished, null, 2)}\n`);
  writeFileSync(join(resultsDir, 'results.md'), markdownReport(finished));
  const svg = join(resultsDir, 'timeline.svg');
  writeFileSync(svg, timelineSvg(finished.timeline, `Unified Model gateway — ${rate}/s offered`));
  toPng(svg, join(resultsDir, 'timeline.png'));
  console.log(markdownReport(finished));
  console.log(`\nresults in ${resultsDir}`);
  return 0;
}

function readProfiles(pids: Map<number, string>): BenchResult['profiles'] {
  const dir = join(dataDir, 'profiles');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((file) => file.endsWith('.cpuprofile'))
    .flatMap((file) => {
      // node --cpu-prof names its files CPU.<date>.<time>.<pid>.<thread>.<sequence>.cpuprofile
      const pid = Number(/^CPU\.\d+\.\d+\.(\d+)\./.exec(file)?.[1]);
      const name = pids.get(pid);
      if (!name) return [];
      const profile = JSON.parse(readFileSync(join(dir, file), 'utf8')) as CpuProfile;
      return [{ process: name, byPlace: timeByPlace(profile, 8), hottest: hottestFunctions(profile, 5) }];
    });
}

/** The chart as PNG too, through headless Chromium when it is installed (the SVG is kept either way). */
function toPng(svg: string, png: string): void {
  try {
    execFileSync(
      'chromium',
      [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        `--screenshot=${png}`,
        '--window-size=900,420',
        `file://${svg}`,
      ],
      { stdio: 'ignore', timeout: 30_000 },
    );
  } catch {
    // no browser here: the SVG is the chart
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
