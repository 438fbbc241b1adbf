import { randomUUID } from 'node:crypto';
import { request as httpRequest, Agent } from 'node:http';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import fc from 'fast-check';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import { Client } from 'pg';
import { districts } from '@umg/catalogue';
import { cloudEventTypes } from '@umg/contracts';
import { gatewayTopics, kafkaClientOptions } from '@umg/messaging';
import { PortalSimulator } from '../simulators/portal/portal-simulator';
import { randomSubmission } from '../simulators/portal/submission-factory';
import {
  startEDelivery,
  createTopics,
  devPaymentSystemClient,
  ensurePostgres,
  kafkaScript,
  repoRoot,
  serviceNames,
  startBackOfficeSimulators,
  startPaymentSystemSimulator,
  startServices,
  stopBackOfficeSimulators,
  stopServices,
  type ServiceName,
  type ServiceProcess,
  type SystemLayout,
  offsetPorts,
  localBroker,
} from '../dev/local-system';
import { localKafkaConnection } from '../dev/kafka-identities';
import { initPki, pkiFiles } from '../pki/certificate-authority';
import { withGatewayDatabase } from '../pki/gateway-database';
import { saveOperator } from '../../services/gateway/src/operators/operator-accounts';
import {
  check,
  type EventLoopWatch,
  formatReport,
  type HttpObservation,
  type KafkaObservation,
  type TableState,
} from './checker';
import { loadConsumedTopics, loadKnownProblemCodes, loadOperations } from './contract-model';
import { type HttpCase, type HttpFixtures, httpCases, type Target } from './http-cases';
import { type KafkaCase, kafkaCases } from './kafka-cases';
import { fuzzCommand } from './options';
import { commandLine } from '../cli/options';
import { ProgressLine } from '../cli/progress';
import { Runner } from '../cli/supervision';

/**
 * `npm run fuzz`: malformed and hostile input against every public operation and every consumed
 * topic of a system of its own (own broker, own database, every service a process), then the
 * checker's verdict. Settings: `npm run fuzz -- --help` (tools/fuzz/options.ts). Time is bounded
 * too: an event loop's stalls are seen by polling every service's liveness probe all through the
 * run (a blocked loop answers nothing until it is free).
 */
const { values: settings } = commandLine(fuzzCommand);
const offset = settings['port-offset'];
const totalCases = settings.cases;
const seed = settings.seed ?? Date.now() % 2 ** 31;
const concurrency = settings.concurrency;
const maxAnswerMs = settings['max-answer-ms'];
const maxStallMs = settings['max-stall-ms'];
const progress = new ProgressLine().start();
const probeEveryMs = 200;
const kafkaShare = 0.25;

const dataDir = join(repoRoot, '.data/fuzz');
const pkiDir = join(dataDir, 'pki');
const pki = pkiFiles(pkiDir);
const districtCode = 'serdika';
const apiKey = (code: string) => `fuzz-key-${code}-0001`;
const backOffice = { districtCode: 'sredets', secret: 'local-secret-sredets-0001' };
const operator = { username: 'fuzz-administrator', password: `fuzz-${randomUUID()}` };
const publicDocuments = ['district-api', 'operator-api', 'open-data', 'payments-internal', 'districts-internal'];
/** The operations of the internal documents the outside reaches (through the ingress). */
const publicInternalOperations = new Set(['receivePaymentNotification', 'receiveBackOfficeDecision']);
/** Tables that grow by design when input is refused: records of what came, not state it changed. */
const recordTables = new Set([
  'outbox',
  'inbox',
  'dead_letter',
  'exchange_log',
  'idempotency_key',
  'migrations',
  'sign_in_throttle',
  'operator_sign_in_audit',
]);

const layout: SystemLayout = {
  dataDir,
  databaseUrl: settings['database-url'] ?? `postgres://postgres@127.0.0.1:5432/umg_fuzz_${offset}`,
  ...offsetPorts(offset),
  extraEnv: {
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
    DATABASE_POOL_SIZE: '6',
    // Limits high enough that validation, not the rate limiter, answers the cases.
    GATEWAY_RATE_LIMIT_PER_SECOND: '100000',
    GATEWAY_RATE_LIMIT_BURST: '100000',
    OPERATOR_SIGN_IN_ACCOUNT_FAILURES: '100',
    OPERATOR_SIGN_IN_ADDRESS_FAILURES: '10000',
    DISTRICT_API_KEYS: districts.map((district) => `${district.code}=${apiKey(district.code)}`).join(','),
    GATEWAY_TLS_PORT: String(4443 + offset),
    GATEWAY_TLS_CERT_FILE: pki.serverCert,
    GATEWAY_TLS_KEY_FILE: pki.serverKey,
    GATEWAY_CLIENT_CA_FILE: pki.caCert,
    OAUTH_SIGNING_KEY_FILE: pki.oauthSigningKey,
    OAUTH_CLIENTS_FILE: pki.oauthClients,
  },
};

const agent = new Agent({ keepAlive: true, maxSockets: concurrency });

interface Answer {
  status: number;
  contentType: string | undefined;
  body: string;
  /** From sending the request to the end of the answer. */
  ms?: number;
}

/** A raw HTTP request: the path is sent exactly as generated (no URL normalisation). */
function send(
  port: number,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: Buffer,
  fresh = false,
): Promise<Answer> {
  return new Promise((resolve) => {
    let settled = false;
    const started = performance.now();
    const done = (answer: Answer) => {
      if (!settled) resolve({ ...answer, ms: performance.now() - started });
      settled = true;
    };
    try {
      const req = httpRequest(
        {
          host: '127.0.0.1',
          port,
          method,
          path,
          agent: fresh ? false : agent,
          headers: { ...headers, ...(body ? { 'content-length': String(body.length) } : {}) },
          timeout: 30_000,
        },
        (res) => {
          const chunks: Buffer[] = [];
          let size = 0;
          const stream = String(res.headers['content-type'] ?? '').startsWith('text/event-stream');
          res.on('data', (chunk: Buffer) => {
            if (size < 2 * 1024 * 1024) chunks.push(chunk);
            size += chunk.length;
            if (stream) {
              // The operator event stream never ends: its first event is the answer.
              done({
                status: res.statusCode ?? 0,
                contentType: res.headers['content-type'],
                body: chunk.toString('utf8'),
              });
              req.destroy();
            }
          });
          res.on('end', () =>
            done({
              status: res.statusCode ?? 0,
              contentType: res.headers['content-type'],
              body: Buffer.concat(chunks).toString('utf8'),
            }),
          );
          res.on('error', () =>
            done({ status: res.statusCode ?? 0, contentType: res.headers['content-type'], body: '' }),
          );
        },
      );
      req.on('timeout', () => req.destroy(new Error('timeout')));
      // However the server trickles data, no case waits longer than this.
      setTimeout(() => req.destroy(new Error('no complete answer in 60 s')), 60_000).unref();
      req.on('error', (error) => done({ status: 0, contentType: undefined, body: error.message }));
      req.end(body);
    } catch (error) {
      // Node refuses to send some generated paths or headers at all: nothing reached the system.
      done({ status: -1, contentType: undefined, body: error instanceof Error ? error.message : String(error) });
    }
  });
}

/** Runs `work` on every item, `limit` at a time; the progress line says how far it got. */
async function inParallel<T>(items: T[], limit: number, what: string, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let done = 0;
  progress.begin(() => `${what}: ${done}/${items.length} done`);
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) {
        await work(items[next++]!);
        done += 1;
      }
    }),
  );
}

async function fixtures(): Promise<HttpFixtures> {
  await withGatewayDatabase(layout.databaseUrl, (dataSource) =>
    saveOperator(dataSource, operator.username, 'administrator', operator.password),
  );
  const cookieAnswer = await new Promise<string>((resolve, reject) => {
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port: layout.ports.gateway,
        method: 'POST',
        path: '/operator/v1/session',
        headers: { 'content-type': 'application/json' },
      },
      (res) => {
        res.resume();
        const cookie = (res.headers['set-cookie'] ?? [])[0];
        if (cookie) resolve(cookie.split(';')[0]!);
        else reject(new Error(`operator sign-in failed: ${res.statusCode}`));
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify(operator));
  });

  const portal = new PortalSimulator(localKafkaConnection(localBroker(layout), 'portal'));
  await portal.start({ listen: false });
  const submissions = [randomSubmission({ districtCode }), randomSubmission({ districtCode })];
  for (const submission of submissions) await portal.submit(submission);
  await portal.stop();
  const wanted = new Set(submissions.map((s) => s.portalApplicationId));
  const applications: HttpFixtures['applications'] = [];
  for (let attempt = 0; applications.length < wanted.size; attempt++) {
    if (attempt > 300) throw new Error('fixture applications were not routed in 90 s');
    await new Promise((resolve) => setTimeout(resolve, 300));
    const page = await send(layout.ports.gateway, 'GET', '/v1/applications?status=routed&limit=200', {
      'x-api-key': apiKey(districtCode),
    });
    if (page.status !== 200) continue;
    const items = (JSON.parse(page.body) as { items: { id: string; portalApplicationId: string }[] }).items;
    applications.length = 0;
    for (const item of items.filter((i) => wanted.has(i.portalApplicationId))) {
      const full = await send(layout.ports.gateway, 'GET', `/v1/applications/${item.id}`, {
        'x-api-key': apiKey(districtCode),
      });
      const attachment = (JSON.parse(full.body) as { attachments: { id: string }[] }).attachments[0]!;
      applications.push({ id: item.id, attachmentId: attachment.id });
    }
  }
  return {
    districtCode,
    districtApiKey: apiKey(districtCode),
    applications,
    operatorCookie: cookieAnswer,
    operatorUsername: operator.username,
    paymentClientId: devPaymentSystemClient.clientId,
    backOffice,
  };
}

/** Count and content hash of every table that holds state (not the records of what came in). */
async function snapshot(db: Client): Promise<Record<string, TableState>> {
  const tables = (
    await db.query<{ schema: string; name: string }>(
      `SELECT table_schema AS schema, table_name AS name FROM information_schema.tables
       WHERE table_schema = ANY($1) AND table_type = 'BASE TABLE' ORDER BY 1, 2`,
      [[...serviceNames]],
    )
  ).rows.filter((table) => !recordTables.has(table.name));
  const state: Record<string, TableState> = {};
  for (const { schema, name } of tables) {
    const { rows } = await db.query<{ rows: string; hash: string | null }>(
      `SELECT count(*) AS rows, md5(string_agg(t::text, '|' ORDER BY t::text)) AS hash FROM "${schema}"."${name}" t`,
    );
    state[`${schema}.${name}`] = { rows: Number(rows[0]!.rows), hash: rows[0]!.hash ?? '' };
  }
  return state;
}

/** Waits until the system is quiet: no outbox row left to publish and no table changing. */
async function settle(db: Client): Promise<void> {
  let previous = '';
  for (let attempt = 0; attempt < 60; attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const state = JSON.stringify(await snapshot(db));
    if (state === previous) return;
    previous = state;
  }
}

function split(total: number, parts: number): number[] {
  return Array.from({ length: parts }, (_, index) => Math.floor(total / parts) + (index < total % parts ? 1 : 0));
}

/** The gateway's port, or the callback listener of the service the outside calls directly. */
function portOf(target: Target): number {
  return target === 'gateway' ? layout.ports.gateway : layout.callbackPorts[target];
}

async function runHttp(fixture: HttpFixtures, count: number): Promise<HttpObservation[]> {
  const operations = loadOperations(join(repoRoot, 'contracts'), publicDocuments).filter(
    (operation) =>
      !['payments-internal', 'districts-internal'].includes(operation.document) ||
      publicInternalOperations.has(operation.operationId),
  );
  const counts = split(count, operations.length);
  const cases: HttpCase[] = operations.flatMap((operation, index) =>
    fc.sample(httpCases(operation, fixture), { numRuns: counts[index]!, seed: seed + index }),
  );
  const observations: HttpObservation[] = [];
  let refusedByClient = 0;
  let retried = 0;
  let overloaded = 0;
  await inParallel(cases, concurrency, 'HTTP cases', async (item) => {
    let answer = await send(portOf(item.target), item.method, item.path, item.headers, item.body);
    if (answer.status === 0) {
      // A kept-alive socket the server had just closed (after refusing an unread body) is the
      // client's race, not an answer: ask once more on a new connection, as any HTTP client would.
      retried += 1;
      answer = await send(portOf(item.target), item.method, item.path, item.headers, item.body, true);
    }
    for (let attempt = 0; answer.status === 503 && attempt < 3; attempt++) {
      // Overload, said properly (Retry-After): a well-behaved client waits and asks again. Only
      // a 503 that persists counts; the run prints how often this happened.
      overloaded += 1;
      await new Promise((resolve) => setTimeout(resolve, 1_000 * (attempt + 1)));
      answer = await send(portOf(item.target), item.method, item.path, item.headers, item.body);
    }
    if (answer.status === -1) {
      refusedByClient += 1;
      return;
    }
    observations.push({
      operation: item.operation,
      kind: item.kind,
      mustReject: item.mustReject,
      ...answer,
      input: { ...item, body: item.body?.toString('utf8').slice(0, 4000) },
    });
  });
  if (refusedByClient)
    console.log(`${refusedByClient} generated requests were not sendable (refused by Node's HTTP client)`);
  if (overloaded)
    console.log(`${overloaded} answers were 503 with Retry-After (overload); those requests were sent again`);
  if (retried) console.log(`${retried} requests sent again on a new connection after the kept-alive one was closed`);
  return observations;
}

async function runKafka(db: Client, count: number): Promise<KafkaObservation[]> {
  const topics = loadConsumedTopics(join(repoRoot, 'contracts'));
  const counts = split(count, topics.length);
  const cases: KafkaCase[] = topics.flatMap((topic, index) => {
    const spec = gatewayTopics.find((t) => t.name === topic.topic)!;
    return fc.sample(
      kafkaCases(
        topic,
        spec.partitions,
        cloudEventTypes.ApplicationSubmitted,
        spec.config?.['cleanup.policy'] === 'compact',
      ),
      { numRuns: counts[index]!, seed: seed + 1000 + index },
    );
  });
  const kafka = new Kafka({
    clientId: 'umg-fuzz',
    // The admin identity: the fuzzer writes hostile messages to every consumed topic, whoever owns it.
    ...kafkaClientOptions(localKafkaConnection(localBroker(layout), 'admin')),
    logLevel: logLevel.NOTHING,
  });
  const producer: Producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  // Small messages go in batches per partition (their offsets follow the batch's base offset);
  // large ones alone, since the broker's size limit is per batch.
  const batches = new Map<string, KafkaCase[][]>();
  for (const item of cases) {
    const key = `${item.topic}/${item.partition}`;
    const list = batches.get(key) ?? [[]];
    let last = list[list.length - 1]!;
    const large = (item.value?.length ?? 0) > 32_768;
    if (large || last.length >= 25 || (last.length > 0 && (last[0]!.value?.length ?? 0) > 32_768)) {
      last = [];
      list.push(last);
    }
    last.push(item);
    batches.set(key, list);
  }
  const sent: (KafkaCase & { offset: string })[] = [];
  await inParallel(
    [...batches.values()].flat().filter((batch) => batch.length > 0),
    8,
    'Kafka batches sent',
    async (batch) => {
      const [metadata] = await producer.send({
        topic: batch[0]!.topic,
        acks: -1,
        messages: batch.map((item) => ({
          key: item.key,
          value: item.value,
          headers: item.headers,
          partition: item.partition,
        })),
      });
      const base = BigInt(metadata!.baseOffset!);
      batch.forEach((item, index) => sent.push({ ...item, offset: String(base + BigInt(index)) }));
    },
  );
  await producer.disconnect();
  progress.begin(`${sent.length} messages sent; waiting for their dead letters`);

  const expected = (item: (typeof sent)[number]) => item.deadLetterGroups.length + (item.rejectionFor ? 1 : 0);
  const lookup = async () => {
    const letters = new Map<string, { group: string; reasonCode: string; reasonMessage: string }[]>();
    for (const schema of ['applications', 'payments', 'delivery', 'districts']) {
      const { rows } = await db.query<{
        consumer_group: string;
        topic: string;
        partition: number;
        offset: string;
        reason_code: string;
        reason_message: string;
      }>(`SELECT consumer_group, topic, partition, "offset", reason_code, reason_message FROM "${schema}".dead_letter`);
      for (const row of rows) {
        const key = `${row.topic}/${row.partition}/${row.offset}`;
        letters.set(key, [
          ...(letters.get(key) ?? []),
          { group: row.consumer_group, reasonCode: row.reason_code, reasonMessage: row.reason_message },
        ]);
      }
    }
    const { rows: rejected } = await db.query<{ id: string }>(
      `SELECT payload->>'portalApplicationId' AS id FROM applications.outbox WHERE message_type = $1`,
      [cloudEventTypes.SubmissionRejected],
    );
    return { letters, rejected: new Set(rejected.map((r) => r.id)) };
  };
  // Dead-lettering is asynchronous: wait until every case has its outcome, or nothing moves any more.
  let found = await lookup();
  let previous = -1;
  for (let quiet = 0; quiet < 20;) {
    const done = sent.reduce((sum, item) => {
      const letters = found.letters.get(`${item.topic}/${item.partition}/${item.offset}`) ?? [];
      return (
        sum +
        Math.min(expected(item), letters.length + (item.rejectionFor && found.rejected.has(item.rejectionFor) ? 1 : 0))
      );
    }, 0);
    if (done === sent.reduce((sum, item) => sum + expected(item), 0)) break;
    quiet = done === previous ? quiet + 1 : 0;
    previous = done;
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    found = await lookup();
  }
  return sent.map((item) => ({
    topic: item.topic,
    kind: item.kind,
    input: { ...item, value: item.value?.toString('utf8').slice(0, 4000) ?? null },
    expectedGroups: item.deadLetterGroups,
    deadLetters: found.letters.get(`${item.topic}/${item.partition}/${item.offset}`) ?? [],
    rejectionFor: item.rejectionFor,
    rejectionSent: item.rejectionFor ? found.rejected.has(item.rejectionFor) : undefined,
  }));
}

/**
 * Polls every service's liveness probe until stopped; the slowest answer is the longest its event
 * loop was blocked (a synchronous validation, a parse, a regex) while the run went on. The probes
 * run in a worker thread of their own, so the run's own work (generating a megabyte case) cannot
 * pass for a service's stall.
 */
function watchEventLoops(services: Map<ServiceName, ServiceProcess>): () => Promise<EventLoopWatch[]> {
  const targets = [...services.values()].map((service) => ({ name: service.name, url: `${service.url}/health/live` }));
  const worker = new Worker(
    `const { parentPort, workerData } = require('node:worker_threads');
     let watching = true;
     parentPort.once('message', () => { watching = false; });
     const watches = workerData.targets.map(async ({ name, url }) => {
       const watch = { name, probes: 0, worstMs: 0, unanswered: 0 };
       while (watching) {
         const started = performance.now();
         const answered = await fetch(url, { signal: AbortSignal.timeout(workerData.timeoutMs) }).then(
           async (response) => { await response.arrayBuffer(); return true; },
           (error) => error.name !== 'TimeoutError',
         );
         watch.probes += 1;
         watch.worstMs = Math.max(watch.worstMs, performance.now() - started);
         if (!answered) watch.unanswered += 1;
         await new Promise((resolve) => setTimeout(resolve, workerData.everyMs));
       }
       return watch;
     });
     Promise.all(watches).then((result) => parentPort.postMessage(result));`,
    { eval: true, workerData: { targets, everyMs: probeEveryMs, timeoutMs: 10_000 } },
  );
  return async () => {
    const result = new Promise<EventLoopWatch[]>((resolve) => worker.once('message', resolve));
    worker.postMessage('stop');
    const watches = await result;
    await worker.terminate();
    return watches;
  };
}

async function processStates(services: Map<ServiceName, ServiceProcess>) {
  return Promise.all(
    [...services.values()].map(async (service) => {
      let alive = false;
      try {
        alive = service.pid !== undefined && process.kill(service.pid, 0);
      } catch {
        alive = false;
      }
      const live = await fetch(`${service.url}/health/live`, { signal: AbortSignal.timeout(5_000) }).then(
        (response) => response.ok,
        () => false,
      );
      return { name: service.name, alive, live, restarts: service.restarts };
    }),
  );
}

async function main(runner: Runner): Promise<number> {
  const started = Date.now();
  console.log(`bad-input run: ${totalCases} cases, seed ${seed} (--seed ${seed} repeats it)`);
  progress.begin('setting up: database, PKI, broker, simulators, services');
  mkdirSync(dataDir, { recursive: true });
  await ensurePostgres(layout.databaseUrl);
  const reset = new Client({ connectionString: layout.databaseUrl });
  await reset.connect();
  for (const schema of serviceNames) await reset.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await reset.end();
  rmSync(pkiDir, { recursive: true, force: true });
  await initPki(pkiDir);
  writeFileSync(pki.oauthClients, '[]\n');
  kafkaScript('stop', layout);
  rmSync(join(dataDir, `kafka-${layout.kafkaPort}`), { recursive: true, force: true });
  // Stop steps run last started first, however the run ends (Ctrl-C and SIGTERM included).
  runner.onStop('the Kafka broker', () => kafkaScript('stop', layout));
  kafkaScript('start', layout);
  const eDelivery = await startEDelivery(layout, 500);
  runner.onStop('the e-delivery simulator', () => eDelivery.stop());
  const stopPaymentSystem = startPaymentSystemSimulator(layout);
  runner.onStop('the payment system simulator', stopPaymentSystem);
  const db = new Client({ connectionString: layout.databaseUrl });
  await createTopics(layout);
  const backOffices = await startBackOfficeSimulators(layout);
  runner.onStop('the back-office simulators', () => stopBackOfficeSimulators(backOffices));
  // Generous: other work on the machine can slow the first start a lot.
  progress.begin('starting the services');
  const services = await startServices(layout, 180_000);
  runner.onStop('the services', () => stopServices(services));
  runner.onStop('the run’s connections', async () => {
    await db.end().catch(() => undefined);
    agent.destroy();
  });
  await db.connect();
  progress.begin('making the fixtures');
  const fixture = await fixtures();
  await settle(db);
  const before = await snapshot(db);
  console.log(`system up and fixtures in place after ${Math.round((Date.now() - started) / 1000)} s`);

  const kafkaCount = Math.round(totalCases * kafkaShare);
  const stopWatching = watchEventLoops(services);
  // The run's own event loop: a delay here would count in every answer time it measures.
  const ownLoop = monitorEventLoopDelay({ resolution: 20 });
  ownLoop.enable();
  const httpStarted = Date.now();
  const http = await runHttp(fixture, totalCases - kafkaCount);
  console.log(`${http.length} HTTP cases in ${Math.round((Date.now() - httpStarted) / 1000)} s`);
  ownLoop.disable();
  console.log(`the run's own event loop during the HTTP cases: max delay ${Math.round(ownLoop.max / 1e6)} ms`);
  const kafkaStarted = Date.now();
  const kafka = await runKafka(db, kafkaCount);
  console.log(`${kafka.length} Kafka cases in ${Math.round((Date.now() - kafkaStarted) / 1000)} s`);
  const eventLoops = await stopWatching();
  progress.begin('waiting for the system to settle, then checking');
  await settle(db);
  const after = await snapshot(db);
  const report = check({
    http,
    kafka,
    before,
    after,
    processes: await processStates(services),
    knownCodes: loadKnownProblemCodes(join(repoRoot, 'contracts'), publicDocuments),
    maxAnswerMs,
    eventLoops,
    maxStallMs,
  });
  console.log(formatReport(report));
  const violationsFile = join(dataDir, 'violations.json');
  writeFileSync(violationsFile, JSON.stringify(report.violations, null, 2));
  if (report.violations.length > 0) console.log(`\nthe violating inputs, to reproduce: ${violationsFile}`);
  console.log(
    `\n${report.violations.length} violations; ${Math.round((Date.now() - started) / 1000)} s in all; logs in ${join(dataDir, 'logs')}`,
  );
  progress.stop();
  return report.exitCode;
}

new Runner().run(main);
