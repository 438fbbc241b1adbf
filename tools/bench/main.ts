import { execFileSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { districts } from '@umg/catalogue';
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
import { bareHttpServer, httpLoad, kafkaPipe, pgbenchTps } from './baselines';
import {
  forkHelper,
  nextMessage,
  type OfficeStats,
  type OfficesCommand,
  type PortalLoadCommand,
  type PortalLoadEvent,
  stopHelper,
} from './children';
import { counterDeltas, readCounters, type ProcessCounters } from './counters';
import { type CpuProfile, hottestFunctions, timeByPlace } from './cpu-profile';
import { type CpuSnapshot, cpuMsBetween, machineCpu, machineCpuPercent, ProcessSampler } from './process-sampler';
import {
  type BenchResult,
  type LifecycleWindow,
  markdownReport,
  type OfferFigures,
  perLifecycle,
  percentiles,
  timelineSvg,
} from './report';
import { databaseBackends, databaseTransactions, KafkaCounts, type KafkaTotals } from './system-counts';
import { benchCommand } from './options';
import { commandLine } from '../cli/options';
import { Runner } from '../cli/supervision';

const { values: settings } = commandLine(benchCommand);
const rate = settings.rate;
const durationS = settings['duration-s'];
const warmUpS = settings['warm-up-s'] ?? Math.min(30, Math.floor(durationS / 5));
const drainS = settings['drain-s'];
const latencyRate = settings['latency-rate'] ?? rate;
const latencyS = settings['latency-s'];
const intakeRate = settings['intake-rate'];
const intakeS = settings['intake-s'];
const maxInFlight = settings['max-in-flight'];
const officeWaitS = settings['office-wait-s'];
const officeProcesses = settings['office-processes'];
const readConnections = settings['read-connections'];
const readS = settings['read-s'];
const progressS = settings['progress-s'];
const profile = settings.profile;
const offset = settings['port-offset'];

const dataDir = join(repoRoot, '.data/bench');
const pkiDir = join(dataDir, 'pki');
const countersDir = join(dataDir, 'counters');
const pki = pkiFiles(pkiDir);
const layout: SystemLayout = {
  dataDir,
  databaseUrl: settings['database-url'],
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
    // The bench's counters in each service (SQL statements, HTTP served and made): bench only.
    NODE_OPTIONS: `--require ${join(__dirname, 'counters-preload.js')}`,
    BENCH_COUNTERS_DIR: countersDir,
  },
  // With BENCH_PROFILE=1 each service writes a V8 CPU profile when it stops: where the time went.
  ...(profile ? { serviceNodeArgs: ['--cpu-prof', `--cpu-prof-dir=${join(dataDir, 'profiles')}`] } : {}),
};
const apiKey = (code: string) => `bench-key-${code}-0001`;
const pushDistricts = ['sredets', 'oborishte'];
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

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

/** When each application reached each status (ms since the epoch), as the portal load saw them. */
class Tracker {
  readonly submittedAt = new Map<string, number>();
  readonly reached = new Map<string, Map<string, number>>();
  readonly rejected = new Set<string>();
  /** The load's applications that reached each status so far (first time only). */
  readonly counts = new Map<string, number>();

  record(id: string, status: string, at: number): void {
    const seen = this.reached.get(id) ?? new Map<string, number>();
    if (seen.has(status)) return;
    seen.set(status, at);
    this.reached.set(id, seen);
    // Counted for the load's own applications only (onboarding's sandbox applications report too).
    if (this.submittedAt.has(id)) this.counts.set(status, (this.counts.get(status) ?? 0) + 1);
  }

  count(status: string): number {
    return status === 'submitted' ? this.submittedAt.size : (this.counts.get(status) ?? 0);
  }

  /** How many of `ids` reached `status` between `from` and `to` (inclusive). */
  reachedBetween(ids: Iterable<string>, status: string, from: number, to: number): number {
    let count = 0;
    for (const id of ids) {
      const at = this.reached.get(id)?.get(status);
      if (at !== undefined && at >= from && at <= to) count += 1;
    }
    return count;
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

/** A progress line every `seconds`, whatever the phase: counts so far, rates since the last line, machine CPU. */
class Progress {
  phase = 'setup';
  private phaseStarted = Date.now();
  private timer: NodeJS.Timeout | undefined;
  private last = { at: Date.now(), submitted: 0, routed: 0, delivered: 0, cpu: machineCpu() };

  constructor(
    private readonly tracker: Tracker,
    private readonly seconds: number,
  ) {}

  start(): void {
    // Checked each second and printed a little early: on a loaded machine timers run late, and the
    // line must still come at least every `seconds`.
    this.timer = setInterval(() => {
      if (Date.now() - this.last.at >= this.seconds * 800) this.print();
    }, 1_000);
  }

  enter(phase: string): void {
    this.phase = phase;
    this.phaseStarted = Date.now();
    console.log(`bench: ${phase}`);
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private print(): void {
    const now = { at: Date.now(), cpu: machineCpu() };
    const counts = {
      submitted: this.tracker.count('submitted'),
      routed: this.tracker.count('routed'),
      delivered: this.tracker.count('delivered'),
    };
    const seconds = Math.max(0.001, (now.at - this.last.at) / 1000);
    const per = (key: keyof typeof counts) => ((counts[key] - this.last[key]) / seconds).toFixed(1);
    const cores = cpus().length;
    console.log(
      `bench [${this.phase} +${Math.round((now.at - this.phaseStarted) / 1000)} s] ` +
        `submitted ${counts.submitted} (${per('submitted')}/s), routed ${counts.routed} (${per('routed')}/s), ` +
        `delivered ${counts.delivered} (${per('delivered')}/s); machine CPU ${(machineCpuPercent(this.last.cpu, now.cpu) * cores).toFixed(0)} % of ${cores * 100} %`,
    );
    this.last = { ...now, ...counts };
  }
}

/** The portal load's process: its submissions and the statuses it hears go to the tracker. */
class PortalLoad {
  private readonly child: ChildProcess = forkHelper('portal-load');
  private phaseIds: string[] = [];

  constructor(private readonly tracker: Tracker) {
    this.child.on('message', (event: PortalLoadEvent) => {
      if (event.type !== 'events') return;
      for (const [id, at] of event.submitted) {
        this.tracker.submittedAt.set(id, at);
        this.phaseIds.push(id);
      }
      for (const [id, status, at] of event.statuses) this.tracker.record(id, status, at);
      for (const id of event.rejected) this.tracker.rejected.add(id);
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  async start(): Promise<void> {
    const ready = nextMessage<PortalLoadEvent>(this.child, 'ready');
    this.send({ type: 'start', connection: localKafkaConnection(localBroker(layout), 'portal'), eDeliveryUrl });
    await ready;
  }

  /** Offers a phase's load; answers its figures and the ids it submitted. */
  async offer(
    phase: string,
    perSecond: number,
    seconds: number,
    mix: { pilots: string[]; onboarded: string[] },
    channel: 'portal' | 'kafka' = 'portal',
  ): Promise<{ offer: OfferFigures; ids: string[] }> {
    this.phaseIds = [];
    const done = nextMessage<Extract<PortalLoadEvent, { type: 'offered' }>>(
      this.child,
      'offered',
      (seconds + 120) * 1000,
    );
    this.send({ type: 'offer', phase, perSecond, seconds, maxInFlight, channel, ...mix, services: pilotServices });
    const { offer } = await done;
    return { offer, ids: this.phaseIds };
  }

  stop(): Promise<void> {
    return stopHelper(this.child, 10_000);
  }

  private send(command: PortalLoadCommand): void {
    this.child.send(command);
  }
}
let eDeliveryUrl = '';

/** The 24 district offices, spread over `processes` processes of their own. */
class Offices {
  private readonly children: ChildProcess[] = [];
  private readonly stats = new Map<ChildProcess, OfficeStats>();

  start(gatewayUrl: string, processes: number): void {
    const codes = districts.map((district) => district.code);
    for (let i = 0; i < processes; i += 1) {
      const child = forkHelper('offices');
      child.on('message', (stats: OfficeStats) => this.stats.set(child, stats));
      const command: OfficesCommand = {
        type: 'start',
        gatewayUrl,
        districtCodes: codes.filter((_, index) => index % processes === i),
        pushDistricts,
        waitSeconds: officeWaitS,
      };
      child.send(command);
      this.children.push(child);
    }
  }

  get pids(): number[] {
    return this.children.flatMap((child) => (child.pid ? [child.pid] : []));
  }

  /** What the offices did, summed over their processes. */
  totals(): Omit<OfficeStats, 'type'> {
    const sum = { feedRequests: 0, emptyPages: 0, backoffs: 0, actions: 0, failures: 0 };
    const failureReasons: Record<string, number> = {};
    for (const stats of this.stats.values()) {
      for (const key of Object.keys(sum) as (keyof typeof sum)[]) sum[key] += stats[key];
      for (const [reason, count] of Object.entries(stats.failureReasons)) {
        failureReasons[reason] = (failureReasons[reason] ?? 0) + count;
      }
    }
    return { ...sum, failureReasons };
  }

  async stop(): Promise<void> {
    await Promise.all(this.children.map((child) => stopHelper(child)));
  }
}

/** Everything read at one edge of the throughput window. */
interface WindowEdge {
  at: number;
  cpu: CpuSnapshot;
  counters: ProcessCounters[];
  transactions: { commits: number; rollbacks: number };
  kafka: KafkaTotals | undefined;
}

async function main(runner: Runner): Promise<number> {
  const loadBefore = loadavg();
  const cores = cpus().length;
  const startedAt = new Date().toISOString();
  const resultsDir = join(repoRoot, 'bench-results', startedAt.replace(/[:.]/g, '-'));
  mkdirSync(resultsDir, { recursive: true });
  mkdirSync(dataDir, { recursive: true });
  rmSync(countersDir, { recursive: true, force: true });
  mkdirSync(countersDir, { recursive: true });
  const tracker = new Tracker();
  const progress = new Progress(tracker, progressS);
  progress.start();
  progress.enter('setup: database, broker, simulators, services');
  await ensurePostgres('postgres://postgres@127.0.0.1:5432/postgres');
  await resetDatabase();
  rmSync(pkiDir, { recursive: true, force: true });
  await initPki(pkiDir);
  writeFileSync(pki.oauthClients, '[]\n');
  const brokerDir = join(dataDir, `kafka-${layout.kafkaPort}`);
  kafkaScript('stop', layout);
  rmSync(brokerDir, { recursive: true, force: true });
  // Registered before the start, so a broker interrupted while starting is stopped too.
  runner.onStop('the Kafka broker', () => kafkaScript('stop', layout));
  kafkaScript('start', layout);
  const eDelivery = await startEDelivery(layout, 100);
  eDeliveryUrl = eDelivery.url;
  const stopPaymentSystem = startPaymentSystemSimulator(layout, {
    PAYMENT_SIMULATOR_AUTO_PAY_SHARE: '1',
    PAYMENT_SIMULATOR_AUTO_PAY_MIN_MS: '100',
    PAYMENT_SIMULATOR_AUTO_PAY_MAX_MS: '300',
    PAYMENT_SIMULATOR_SETTLE_MS: '0',
  });
  let services: Awaited<ReturnType<typeof startServices>> | undefined;
  let backOffices: ChildProcess | undefined;
  let finished: BenchResult | undefined;
  let servicePids = new Map<number, string>();
  rmSync(join(dataDir, 'profiles'), { recursive: true, force: true });
  const portal = new PortalLoad(tracker);
  const offices = new Offices();
  const databaseName = new URL(layout.databaseUrl).pathname.slice(1);
  const adminUrl = new URL(layout.databaseUrl);
  adminUrl.pathname = '/postgres';
  const stats = new Client({ connectionString: adminUrl.toString() });
  await stats.connect();
  // The bench database's backends, refreshed as the services' pools open connections.
  let backends: number[] = [];
  const refreshBackends = setInterval(() => {
    databaseBackends(stats, databaseName).then(
      (pids) => (backends = pids),
      () => undefined,
    );
  }, 2_000);
  const adminConnection = localKafkaConnection(localBroker(layout), 'admin');
  let kafkaCounts: KafkaCounts | undefined;
  // At the end of the run, or at once when a signal stops the bench (Ctrl-C, SIGTERM).
  let tornDown: Promise<void> | undefined;
  const tearDown = () =>
    (tornDown ??= (async () => {
      progress.stop();
      clearInterval(refreshBackends);
      await offices.stop().catch(() => undefined);
      await portal.stop().catch(() => undefined);
      await stats.end().catch(() => undefined);
      await kafkaCounts?.disconnect().catch(() => undefined);
      if (services) await stopServices(services);
      await stopPaymentSystem();
      await eDelivery.stop();
      if (backOffices) await stopBackOfficeSimulators(backOffices);
      kafkaScript('stop', layout);
    })());
  runner.onStop('the bench’s system and load', tearDown);
  try {
    await createTopics(layout);
    backOffices = await startBackOfficeSimulators(layout);
    services = await startServices(layout);
    const gatewayUrl = services.get('gateway')!.url;
    await portal.start();
    offices.start(gatewayUrl, officeProcesses);
    kafkaCounts = new KafkaCounts(adminConnection);
    await kafkaCounts.connect();

    // Every district takes part: the 20 that are not pilots go through conformance to pilot.
    progress.enter('setup: onboarding the 20 non-pilot districts (conformance, pilot, services)');
    const toOnboard = districts.filter((district) => !district.pilot).map((district) => district.code);
    // Through the gateway's operator API, as the demo administrator (a demo account: test profile only).
    await withGatewayDatabase(layout.databaseUrl, (dataSource) =>
      saveOperator(dataSource, demoAdministrator.username, 'administrator', demoAdministrator.password, { demo: true }),
    );
    const session = await demoOperatorSession(gatewayUrl);
    const onboarded: string[] = [];
    // Four at a time, each tried up to three times: on a busy machine a conformance run can time out
    // (onboarding is safe to repeat); a district that still fails takes no part rather than ending the bench.
    const queue = [...toOnboard];
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        for (let code = queue.shift(); code !== undefined; code = queue.shift()) {
          for (let attempt = 1; attempt <= 3; attempt += 1) {
            try {
              if (await onboardDistrict(session, code, () => undefined)) onboarded.push(code);
              break;
            } catch (error) {
              const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
              console.warn(`bench: onboarding ${code}, attempt ${attempt} of 3, failed: ${reason}`);
              if (attempt < 3) await sleep(5_000);
            }
          }
        }
      }),
    );
    console.log(
      `bench: ${onboarded.length} districts onboarded (${demoOnboarding.map((d) => d.style).join(', ')} styles)`,
    );
    // Let the offerings reach intake before the load.
    await sleep(3_000);
    const mix = { pilots: districts.filter((district) => district.pilot).map((district) => district.code), onboarded };

    const serviceProcesses = [...services.values()];
    // Found once (pgrep is slow on a busy machine, and the sampler asks every second): these do not restart.
    const brokerPids = pidsOf(`kafka-${layout.kafkaPort}`);
    const simulatorPids = pidsOf(join(repoRoot, 'dist/tools/simulators/'));
    const groups = () => [
      ...serviceProcesses.map((service) => ({ name: service.name, pids: service.pid ? [service.pid] : [] })),
      { name: 'kafka broker (JVM)', pids: brokerPids },
      { name: 'postgresql (bench database backends)', pids: backends },
      { name: 'portal load', pids: portal.pid ? [portal.pid] : [] },
      { name: 'district offices', pids: offices.pids },
      { name: 'simulators (e-delivery, payment system, push back offices)', pids: simulatorPids },
      { name: 'bench', pids: [process.pid] },
    ];
    const systemGroups = new Set<string>([
      ...serviceNames,
      'kafka broker (JVM)',
      'postgresql (bench database backends)',
    ]);
    const sampler = new ProcessSampler(groups);
    const offers: OfferFigures[] = [];

    let latencyIds: string[] = [];
    if (latencyS > 0) {
      progress.enter(`latency phase: ${latencyRate}/s offered for ${latencyS} s`);
      const latency = await portal.offer('latency', latencyRate, latencyS, mix);
      offers.push(latency.offer);
      latencyIds = latency.ids;
      await sleep(5_000);
    }
    const routedLatency = percentiles(tracker.stage('submitted', 'routed', latencyIds));

    progress.enter(`throughput phase: ${rate}/s offered for ${durationS} s (first ${warmUpS} s warm-up)`);
    const edge = async (): Promise<WindowEdge> => ({
      at: Date.now(),
      cpu: sampler.snapshot(),
      counters: readCounters(countersDir),
      transactions: await databaseTransactions(stats, databaseName),
      kafka: await kafkaCounts!.totals(),
    });
    sampler.start();
    const loadStarted = Date.now();
    let windowStart: Promise<WindowEdge> | undefined;
    const warmUpTimer = setTimeout(() => {
      windowStart = edge();
      windowStart.catch(() => undefined); // awaited (and its failure reported) after the phase
    }, warmUpS * 1000);
    const throughput = await portal.offer('throughput', rate, durationS, mix);
    clearTimeout(warmUpTimer);
    const windowEnd = await edge();
    const windowBegin = await (windowStart ?? edge());
    offers.push(throughput.offer);
    const ids = throughput.ids;
    progress.enter(`drain: up to ${drainS} s for the throughput phase's lifecycles to finish`);
    const drainUntil = Date.now() + drainS * 1000;
    while (Date.now() < drainUntil) {
      const done = ids.filter((id) => tracker.reached.get(id)?.has('delivered') || tracker.rejected.has(id)).length;
      if (done >= ids.length) break;
      await sleep(1_000);
    }
    const drainEnd = await edge();
    const processes = sampler.stop();
    await offices.stop();
    const officeTotals = offices.totals();

    // Sustained rate: lifecycles completed within the load's window after warm-up.
    const inWindow = tracker.reachedBetween(ids, 'delivered', windowBegin.at, windowEnd.at);
    const sustained = inWindow / Math.max(0.001, (windowEnd.at - windowBegin.at) / 1000);
    // Per lifecycle: the work from the warm-up's end through the drain (so the work on a backlog is
    // counted with the lifecycles it completes), divided by every lifecycle completed in that time.
    const lifecyclesInWindow = tracker.reachedBetween(
      tracker.submittedAt.keys(),
      'delivered',
      windowBegin.at,
      drainEnd.at,
    );
    const deliveredAt = ids
      .map((id) => tracker.reached.get(id)?.get('delivered'))
      .filter((at): at is number => at !== undefined);
    const cpuMs = cpuMsBetween(windowBegin.cpu, drainEnd.cpu);
    const pidNames = new Map<number, string>();
    for (const { name, pids } of groups()) for (const pid of pids) pidNames.set(pid, name);
    const counted = counterDeltas(windowBegin.counters, drainEnd.counters, (pid) => pidNames.get(pid));
    const window: LifecycleWindow = {
      seconds: (drainEnd.at - windowBegin.at) / 1000,
      lifecycles: lifecyclesInWindow,
      submitted: [...tracker.submittedAt.values()].filter((at) => at >= windowBegin.at && at <= drainEnd.at).length,
      cores,
      processes: [...cpuMs.entries()].map(([name, ms]) => ({
        name,
        system: systemGroups.has(name),
        cpuMs: ms,
        ...counted.get(name),
      })),
      commits: drainEnd.transactions.commits - windowBegin.transactions.commits,
      rollbacks: drainEnd.transactions.rollbacks - windowBegin.transactions.rollbacks,
      kafkaProduced: (drainEnd.kafka?.produced ?? NaN) - (windowBegin.kafka?.produced ?? NaN),
      kafkaConsumed: (drainEnd.kafka?.consumed ?? NaN) - (windowBegin.kafka?.consumed ?? NaN),
    };
    const lifecycle = perLifecycle(window);

    let intake: BenchResult['intake'];
    if (intakeS > 0) {
      progress.enter(`intake-only phase (offices off): ${intakeRate}/s offered for ${intakeS} s`);
      const intakeStarted = Date.now();
      const phase = await portal.offer('intake only (Kafka seam)', intakeRate, intakeS, mix, 'kafka');
      const intakeEnded = Date.now();
      offers.push(phase.offer);
      await sleep(3_000);
      // Routed per second while the load was offered, after its first fifth (the intake warming up).
      const from = intakeStarted + (intakeEnded - intakeStarted) / 5;
      intake = {
        offeredPerSecond: intakeRate,
        seconds: (intakeEnded - intakeStarted) / 1000,
        routedPerSecond:
          tracker.reachedBetween(phase.ids, 'routed', from, intakeEnded) / Math.max(0.001, (intakeEnded - from) / 1000),
      };
    }

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

    progress.enter(`baselines: gateway and bare HTTP reads (${readConnections} connections, ${readS} s each)`);
    const sample = await fetch(`${gatewayUrl}/v1/applications?limit=1`, {
      headers: { 'X-Api-Key': apiKey('serdika') },
    });
    const page = (await sample.json()) as { items: { id: string }[] };
    const applicationId = page.items[0]?.id ?? '00000000-0000-4000-8000-000000000000';
    const readPath = `/v1/applications/${applicationId}`;
    const gatewayRead = await httpLoad(
      `${gatewayUrl}${readPath}`,
      { 'X-Api-Key': apiKey('serdika') },
      readConnections,
      readS,
    );
    const body = await (
      await fetch(`${gatewayUrl}${readPath}`, { headers: { 'X-Api-Key': apiKey('serdika') } })
    ).text();
    const bare = await bareHttpServer(body);
    const bareRead = await httpLoad(`${bare.url}${readPath}`, {}, readConnections, readS);
    await bare.stop();
    progress.enter('baselines: kafkajs pipe');
    const pipe = await kafkaPipe(adminConnection, 20_000);
    progress.enter('baselines: pgbench');
    const pg = await pgbenchTps(adminUrl.toString(), 15);

    const nodeProcesses = processes.filter((p) => (serviceNames as readonly string[]).includes(p.name));
    const peakNodeRss = Math.max(...nodeProcesses.map((p) => p.peakRssMb));
    const heaviest = nodeProcesses.find((p) => p.peakRssMb === peakNodeRss)?.name ?? '';
    const readRatio = gatewayRead.perSecond / Math.max(1, bareRead.perSecond);
    const messagesPerLifecycle = lifecycle.kafkaProduced + lifecycle.kafkaConsumed;
    const result: BenchResult = {
      startedAt,
      machine: { cores, loadAverageBefore: loadBefore, node: process.version },
      offeredPerSecond: rate,
      durationSeconds: durationS,
      submitted: ids.length,
      completed: deliveredAt.length,
      sustainedPerSecond: sustained,
      offers,
      ...(intake ? { intake } : {}),
      perLifecycle: lifecycle,
      latencyPhase: { offeredPerSecond: latencyRate, submittedToRouted: routedLatency },
      stages,
      processes,
      baselines: [
        {
          name: 'bare HTTP (node:http), same route and body',
          figure: bareRead.perSecond,
          unit: 'req/s',
          note: `p99 ${bareRead.latencyMs.p99.toFixed(1)} ms, ${readConnections} connections (autocannon, own process), ${bareRead.errors} errors`,
        },
        { name: 'kafkajs produce → consume', figure: pipe.perSecond, unit: 'msg/s', note: pipe.note },
        { name: 'PostgreSQL (pgbench)', figure: pg.tps, unit: 'tx/s', note: pg.note },
      ],
      comparisons: [
        {
          what: 'GET /v1/applications/{id}: gateway vs bare HTTP (req/s)',
          gateway: gatewayRead.perSecond,
          baseline: bareRead.perSecond,
          ratio: readRatio,
        },
        {
          what: `Kafka messages/s the sustained rate needed (${messagesPerLifecycle.toFixed(1)} produced + consumed per lifecycle) vs the bare pipe`,
          gateway: sustained * messagesPerLifecycle,
          baseline: pipe.perSecond,
          ratio: (sustained * messagesPerLifecycle) / Math.max(1, pipe.perSecond),
        },
        {
          what: `database commits/s the sustained rate needed (${lifecycle.commits.toFixed(1)} per lifecycle) vs pgbench tx/s`,
          gateway: sustained * lifecycle.commits,
          baseline: pg.tps,
          ratio: (sustained * lifecycle.commits) / Math.max(1, pg.tps),
        },
      ],
      timeline,
      targets: [
        {
          name: 'sustained complete lifecycles (the bar)',
          target: '≥ 50/s for 5 min',
          measured: `${sustained.toFixed(1)}/s for ${durationS} s`,
          met: sustained >= 50 && durationS >= 300,
        },
        {
          name: 'sustained complete lifecycles (next)',
          target: '≥ 100/s for 5 min',
          measured: `${sustained.toFixed(1)}/s for ${durationS} s`,
          met: sustained >= 100 && durationS >= 300,
        },
        {
          name: 'portal intake (offices off)',
          target: '≥ 300 routed/s',
          measured: intake ? `${intake.routedPerSecond.toFixed(1)} routed/s at ${intakeRate}/s offered` : 'not run',
          met: intake !== undefined && intake.routedPerSecond >= 300,
        },
        {
          name: 'submitted → routed p99',
          target: '< 250 ms at 50/s offered',
          measured: `${routedLatency.p99.toFixed(0)} ms at ${latencyRate}/s (${routedLatency.count} applications)`,
          met: latencyRate >= 50 && routedLatency.count > 0 && routedLatency.p99 < 250,
        },
        {
          name: 'gateway read vs bare node:http',
          target: '≥ 30 %',
          measured: `${(readRatio * 100).toFixed(1)} % (${gatewayRead.perSecond.toFixed(0)} vs ${bareRead.perSecond.toFixed(0)} req/s)`,
          met: readRatio >= 0.3,
        },
        {
          name: 'every service (Node.js) RSS, profiler off',
          target: '< 250 MB each',
          measured: `${peakNodeRss.toFixed(0)} MB peak (${heaviest})${profile ? ', profiler on: not judged' : ''}`,
          met: !profile && peakNodeRss < 250,
        },
      ],
      profiles: [],
      notes: [
        `gateway GET under load: ${gatewayRead.perSecond.toFixed(0)} req/s, p50 ${gatewayRead.latencyMs.p50.toFixed(1)} ms, p99 ${gatewayRead.latencyMs.p99.toFixed(1)} ms, ${gatewayRead.errors} errors`,
        ...offers.flatMap((o) =>
          o.firstFailure ? [`${o.phase}: ${o.failed} sends failed, the first with: ${o.firstFailure}`] : [],
        ),
        `${tracker.rejected.size} submissions rejected by intake; ${ids.length - deliveredAt.length} of the throughput phase not delivered by the end of the drain`,
        `district offices: ${officeTotals.feedRequests} changes-feed long-polls (${officeTotals.emptyPages} ended empty, ${officeTotals.backoffs} backed off, ${officeTotals.failures} failed${failureSummary(officeTotals.failureReasons)}), ${officeTotals.actions} actions`,
        'SQL statements are counted in the services (pg Client.query calls; a multi-statement text counts once), commits in pg_stat_database, Kafka messages from end offsets and the groups’ committed offsets',
        'PostgreSQL CPU is that of the bench database’s backends (not the server’s shared background processes); CPU ms per lifecycle include work on lifecycles still in flight at the window’s edges',
        'everything (broker, database, five services, simulators, load) shares the same cores; see docs/performance.md',
      ],
    };
    servicePids = new Map(serviceProcesses.map((service) => [service.pid ?? 0, service.name]));
    finished = result;
  } finally {
    await tearDown();
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

/** The offices' failures by reason, most frequent first: `: 12× HTTP 504 upstream_timeout, …`. */
function failureSummary(reasons: Record<string, number>): string {
  const sorted = Object.entries(reasons).sort(([, a], [, b]) => b - a);
  if (sorted.length === 0) return '';
  return `: ${sorted
    .slice(0, 4)
    .map(([reason, count]) => `${count}× ${reason}`)
    .join(', ')}`;
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

new Runner().run(main);
