import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { districts, findDistrict } from '@umg/catalogue';
import { Topics } from '@umg/messaging';
import { ensureDatabase } from '@umg/persistence';
import { initPki, pkiFiles } from '../pki/certificate-authority';
import {
  startEDelivery,
  createTopics,
  districtBackOfficeEnv,
  callbackUrls,
  exchangeLogWitnessFile,
  kafkaScript,
  layoutPkiDir,
  repoRoot,
  startBackOfficeSimulators,
  startPaymentSystemSimulator,
  startServices,
  stopBackOfficeSimulators,
  stopServices,
  type SystemLayout,
  localBroker,
} from '../dev/local-system';
import { localKafkaConnection } from '../dev/kafka-identities';
import { demoBankDetails } from '../dev/demo-onboarding';
import { signAsGateway } from '../dev/gateway-signature';
import { ChaosDriver, ChaosRecord } from './driver';
import { FaultInjector, faultsTable } from './faults';
import { checkInvariants, exitStatus, expectedStatusOf, invariantsTable } from './invariants';
import { chaosDistricts, chaosServiceNumbers, planApplications } from './plan';
import { PrivatePostgres } from './private-postgres';
import { takeSnapshot } from './snapshot';
import { chaosSvg, type ChaosSample } from './chart';
import { chaosCommand } from './options';
import { commandLine } from '../cli/options';
import { Runner } from '../cli/supervision';
import { ProgressLine } from '../cli/progress';

/**
 * `npm run chaos`: the whole system on this machine — its own PostgreSQL cluster and Kafka broker,
 * every service as a process, the simulators — runs applications through scripted lifecycles
 * while faults are injected, then checks the invariants and prints the faults and invariants
 * tables. Exits 1 when an invariant broke. Settings: `npm run chaos -- --help` (tools/chaos/options.ts).
 */
const { values: settings } = commandLine(chaosCommand);
const count = settings.applications;
const perSecond = settings.rate;
// Ports away from the development set (3000…) and the test runs (4000 + offset …).
const base = settings['port-base'];
const settleTimeoutMs = settings['settle-timeout-s'] * 1000;
const dataDir = join(repoRoot, '.data/chaos');
const jsonSecret = 'chaos-secret-sredets-0001';
const apiKeys = Object.fromEntries(districts.map((district) => [district.code, `chaos-key-${district.code}-0001`]));

const postgres = new PrivatePostgres(join(dataDir, 'pg'), base + 432);
const pki = pkiFiles(join(dataDir, 'pki'));
// The run drives the districts' rollout and reads payments as the gateway would, with its own PKI.
const asGateway = signAsGateway(join(dataDir, 'pki'));
const layout: SystemLayout = {
  dataDir,
  databaseUrl: postgres.url,
  kafkaPort: base + 15_092,
  kafkaBrokers: `127.0.0.1:${base + 15_092}`,
  ports: {
    gateway: base,
    applications: base + 101,
    payments: base + 102,
    delivery: base + 103,
    districts: base + 104,
  },
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
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'info',
    DATABASE_POOL_SIZE: '6',
    // The crash hook between a message's database commit and its offset commit (libs/messaging).
    MESSAGING_FAULT_INJECTION_DIR: join(dataDir, 'faults'),
    DISTRICT_SECRET_SREDETS: jsonSecret,
    DISTRICT_SECRET_OBORISHTE: 'chaos-secret-oborishte-0001',
    DISTRICT_API_KEYS: Object.entries(apiKeys)
      .map(([code, key]) => `${code}=${key}`)
      .join(','),
    GATEWAY_RATE_LIMIT_PER_SECOND: '100000',
    GATEWAY_RATE_LIMIT_BURST: '100000',
    APPLICATIONS_OVERDUE_CHECK_INTERVAL_MS: '5000',
    // Outages here last seconds, not hours: retries and breakers on a short clock.
    PAYMENTS_SEND_POLL_MS: '200',
    PAYMENTS_SEND_BACKOFF_BASE_MS: '200',
    PAYMENTS_SEND_BACKOFF_MAX_MS: '3000',
    PAYMENTS_BREAKER_RESET_MS: '2000',
    PAYMENT_SYSTEM_TIMEOUT_MS: '3000',
    DELIVERY_RECEIPT_TIMEOUT_MS: '600000',
    DELIVERY_RECEIPT_POLL_MS: '500',
    DELIVERY_POLL_INTERVAL_MS: '200',
    DELIVERY_RETRY_BASE_MS: '200',
    DELIVERY_RETRY_MAX_MS: '3000',
    DELIVERY_MAX_ATTEMPTS: '1000',
    E_DELIVERY_TIMEOUT_MS: '3000',
    E_DELIVERY_BREAKER_RESET_MS: '2000',
    PUSH_TIMEOUT_MS: '3000',
    PUSH_BACKOFF_BASE_MS: '200',
    PUSH_BACKOFF_MAX_MS: '3000',
    PUSH_MAX_ATTEMPTS: '1000',
    PUSH_POLL_INTERVAL_MS: '200',
    PUSH_CIRCUIT_RESET_MS: '2000',
    GATEWAY_TLS_PORT: String(base + 443),
    GATEWAY_TLS_CERT_FILE: pki.serverCert,
    GATEWAY_TLS_KEY_FILE: pki.serverKey,
    GATEWAY_CLIENT_CA_FILE: pki.caCert,
    OAUTH_SIGNING_KEY_FILE: pki.oauthSigningKey,
    OAUTH_CLIENTS_FILE: pki.oauthClients,
    OAUTH_ISSUER: 'urn:sofia:umg:gateway:chaos',
  },
};

const startedAt = Date.now();
const progress = new ProgressLine().start();
const print = (line: string) => progress.say(line);

async function main(runner: Runner): Promise<number> {
  print(`chaos run: ${count} applications at ${perSecond}/s; system on ports ${base}…, logs in .data/chaos/logs`);
  await cleanUp();
  // Registered first, so it runs last: the broker and the private PostgreSQL, however the run ends.
  runner.onStop('the broker and the private PostgreSQL', cleanUp);
  rmSync(dataDir, { recursive: true, force: true });
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(join(dataDir, '.gitignore'), '*\n');
  mkdirSync(join(dataDir, 'faults'));
  progress.begin('setting up a private PostgreSQL cluster, a Kafka broker and the PKI');
  await postgres.init();
  await postgres.start();
  await ensureDatabase(postgres.url);
  kafkaScript('start', layout);
  await createTopics(layout);
  await initPki(join(dataDir, 'pki'));
  writeFileSync(pki.oauthClients, '[]\n');

  const eDelivery = await startEDelivery(layout, 500);
  const paymentSystemUrl = `http://127.0.0.1:${layout.paymentSystemPort}`;
  const stopPaymentSystem = startPaymentSystemSimulator(layout, {
    // The real retry schedule (minutes to hours), compressed to seconds.
    PAYMENT_SIMULATOR_RETRY_MS: '200,500,1000,2000,4000,8000,15000,30000,60000,60000,60000',
    PAYMENT_SIMULATOR_SETTLE_MS: '200',
  });
  const backOffices = await startBackOfficeSimulators(layout);
  progress.begin('starting the services');
  const services = await startServices(layout);
  const urls = {
    gateway: services.get('gateway')!.url,
    payments: services.get('payments')!.url,
    districts: services.get('districts')!.url,
    districtsCallbacks: callbackUrls(layout).districts,
    paymentSystem: paymentSystemUrl,
    eDelivery: eDelivery.url,
  };
  let code = 1;
  const record = new ChaosRecord();
  const driver = new ChaosDriver(
    localKafkaConnection(localBroker(layout), 'portal'),
    urls,
    apiKeys,
    jsonSecret,
    record,
    startedAt,
    asGateway,
  );
  runner.onStop('the simulators and the services', async () => {
    await driver.stop().catch(() => undefined);
    await stopServices(services);
    await stopPaymentSystem();
    await eDelivery.stop();
    await stopBackOfficeSimulators(backOffices);
  });
  const samples: ChaosSample[] = [];
  try {
    await onboardPushDistricts(urls.districts);
    progress.begin('filing applications while faults are injected');
    print('system up; the push districts are in pilot');

    const plans = planApplications(count);
    await driver.start(
      plans,
      chaosDistricts.map((district) => district.code),
    );
    const backOfficeUrls = districtBackOfficeEnv(layout);
    const faults = new FaultInjector(
      {
        layout,
        services,
        postgres,
        faultInjectionDir: join(dataDir, 'faults'),
        paymentSystemUrl,
        eDeliveryUrl: eDelivery.url,
        backOffices: { json: backOfficeUrls.BACK_OFFICE_JSON_URL!, soap: backOfficeUrls.BACK_OFFICE_SOAP_URL! },
        sendPoison: () => driver.sendPoison(localKafkaConnection(localBroker(layout), 'admin'), poisonTargets),
      },
      startedAt,
      print,
    );
    let submitting = true;
    const expectedSeconds = count / perSecond;
    const faultRun = faults.run(Math.max(3_000, (expectedSeconds * 1000) / 22), () => submitting);
    const measuring = setInterval(() => void progressLine(record, samples).catch(() => undefined), 10_000);
    await driver.submitAll(perSecond);
    submitting = false;
    print(`all ${record.submissions.length} applications filed; faults finish their pass`);
    await faultRun;
    progress.begin('waiting for every application to settle (faults done)');
    await settle(record);
    clearInterval(measuring);
    progress.begin('checking the invariants');
    await driver.stop();

    const snapshot = await takeSnapshot(
      postgres.url,
      record,
      { paymentSystem: paymentSystemUrl, eDelivery: eDelivery.url },
      { pkiDir: layoutPkiDir(layout), witnessFile: exchangeLogWitnessFile(layout) },
    );
    const results = checkInvariants(snapshot);
    const allFaults = [
      ...faults.injected,
      ...record.driverFaults.map((fault) => ({ kind: fault.kind, at: fault.at })),
    ].sort((a, b) => a.at - b.at);
    const seconds = Math.round((Date.now() - startedAt) / 1000);
    process.stdout.write(
      [
        '',
        `Chaos run: ${record.submissions.length} applications (${scriptCounts(record)}) in ${seconds} s`,
        '',
        faultsTable(allFaults),
        '',
        invariantsTable(results),
        '',
        exitStatus(results) === 0 ? 'every invariant held' : 'INVARIANTS BROKEN',
        '',
      ].join('\n'),
    );
    code = exitStatus(results);
    writeFileSync(
      join(dataDir, 'result.json'),
      JSON.stringify(
        {
          applications: record.submissions.length,
          seconds,
          faults: allFaults,
          invariants: results.map(({ name, checked, violations }) => ({ name, checked, violations })),
          exitStatus: code,
        },
        null,
        1,
      ),
    );
    writeFileSync(
      join(dataDir, 'chaos.svg'),
      chaosSvg({
        title: `Chaos run: ${record.submissions.length} applications at ${perSecond}/s, ${allFaults.length} faults`,
        samples,
        faults: allFaults,
        startedAt,
        invariants: results,
      }),
    );
    print(`results: .data/chaos/result.json; chart: .data/chaos/chaos.svg`);
  } finally {
    if (settings.keep) {
      print('--keep: the system stays up for a look; Ctrl-C stops it');
      await new Promise(() => undefined);
    }
  }
  return code;
}

/** Not JSON, on every topic a service consumes; each group subscribed must dead-letter it once. */
const poisonTargets = [
  { topic: Topics.portalApplicationSubmitted, groups: ['umg.applications.intake'] },
  { topic: Topics.applicationEvents, groups: ['umg.payments', 'umg.delivery', 'umg.districts'] },
  { topic: Topics.paymentEvents, groups: ['umg.applications', 'umg.delivery'] },
  { topic: Topics.deliveryEvents, groups: ['umg.applications'] },
  { topic: Topics.backOfficeDecisions, groups: ['umg.applications'] },
];

async function cleanUp(): Promise<void> {
  try {
    kafkaScript('stop', layout);
  } catch {
    // not running
  }
  if (existsSync(join(postgres.dataDir, 'postmaster.pid'))) await postgres.stop().catch(() => undefined);
}

/** Sredets (JSON) and Oborishte (SOAP) through onboarding, conformance and pilot, with the run's services. */
async function onboardPushDistricts(districtsUrl: string): Promise<void> {
  const call = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${districtsUrl}${path}`, {
      method,
      headers: {
        'Content-Type': 'application/json',
        ...(await asGateway('districts', { operator: { id: 'chaos-run', role: 'administrator' } })),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
    return (await response.json()) as { passed?: boolean };
  };
  for (const code of ['sredets', 'oborishte']) {
    await call('POST', `/internal/v1/districts/${code}/phase`, { phase: 'onboarding', reason: 'chaos run' });
    await call('PATCH', `/internal/v1/districts/${code}/profile`, {
      bank: demoBankDetails(findDistrict(code)!.no),
      reason: 'chaos run',
    });
    const run = await call('POST', `/internal/v1/districts/${code}/conformance-runs`);
    if (!run.passed) throw new Error(`conformance of ${code} failed`);
    await call('POST', `/internal/v1/districts/${code}/phase`, { phase: 'pilot', reason: 'chaos run' });
    for (const service of chaosServiceNumbers) {
      await call('PUT', `/internal/v1/districts/${code}/services/${service}`, { enabled: true, reason: 'chaos run' });
    }
  }
  // The applications service judges submissions by the offerings it has heard of.
  const client = new Client({ connectionString: postgres.url });
  await client.connect();
  try {
    for (;;) {
      const { rows } = await client.query<{ n: string }>(
        `SELECT count(*) AS n FROM applications.district_offering
         WHERE district_code IN ('sredets', 'oborishte') AND phase = 'pilot'
           AND jsonb_array_length(services) >= $1`,
        [chaosServiceNumbers.length],
      );
      if (Number(rows[0]!.n) === 2) return;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  } finally {
    await client.end();
  }
}

interface Progress {
  atExpected: number;
  openDeliveries: number;
  unpublished: number;
}

async function measure(record: ChaosRecord): Promise<Progress> {
  const client = new Client({ connectionString: postgres.url, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    const expected = new Map(
      record.submissions.map((submission) => [submission.portalApplicationId, expectedStatusOf[submission.script]]),
    );
    const { rows } = await client.query<{ portal: string; status: string }>(
      `SELECT portal_application_id AS portal, status FROM applications.application`,
    );
    const atExpected = rows.filter((row) => expected.get(row.portal) === row.status).length;
    const [deliveries] = (
      await client.query<{ n: string }>(
        `SELECT count(*) AS n FROM delivery.delivery WHERE status NOT IN ('delivered', 'no_profile', 'desk_collection')`,
      )
    ).rows;
    let unpublished = 0;
    for (const schema of ['applications', 'payments', 'delivery', 'districts']) {
      const [row] = (
        await client.query<{ n: string }>(`SELECT count(*) AS n FROM "${schema}".outbox WHERE published_at IS NULL`)
      ).rows;
      unpublished += Number(row!.n);
    }
    return { atExpected, openDeliveries: Number(deliveries!.n), unpublished };
  } finally {
    await client.end();
  }
}

async function progressLine(record: ChaosRecord, samples: ChaosSample[]): Promise<void> {
  const now = await measure(record);
  samples.push({
    second: Math.round((Date.now() - startedAt) / 1000),
    filed: record.submissions.length,
    atExpected: now.atExpected,
  });
  print(
    `${record.submissions.length}/${count} filed, ${now.atExpected} at their scripted end, ${now.openDeliveries} deliveries open, ${now.unpublished} outbox rows unpublished`,
  );
}

/** Until every application is where its script leads and nothing is left in flight, or no progress for a while. */
async function settle(record: ChaosRecord): Promise<void> {
  let last = -1;
  let lastChange = Date.now();
  for (;;) {
    const now = await measure(record).catch(() => undefined);
    if (now) {
      if (now.atExpected === record.submissions.length && now.openDeliveries === 0 && now.unpublished === 0) return;
      const signature = now.atExpected * 1e6 + now.openDeliveries * 1e3 + now.unpublished;
      if (signature !== last) {
        last = signature;
        lastChange = Date.now();
      }
    }
    if (Date.now() - lastChange > settleTimeoutMs) {
      print('no progress for a while: checking the invariants as things are');
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 3_000));
  }
}

function scriptCounts(record: ChaosRecord): string {
  const counts = new Map<string, number>();
  for (const { script } of record.submissions) counts.set(script, (counts.get(script) ?? 0) + 1);
  return [...counts].map(([script, n]) => `${n} ${script}`).join(', ');
}

// 2 for a run that failed (1 means an invariant broke).
new Runner({ errorCode: 2 }).run(main);
