import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { districts } from '@umg/catalogue';
import {
  callbackUrls,
  createTopics,
  districtBackOfficeEnv,
  startEDelivery,
  ensurePostgres,
  exchangeLogWitnessFile,
  kafkaScript,
  managementUrls,
  repoRoot,
  serviceNames,
  startPaymentSystemSimulator,
  startBackOfficeSimulators,
  startServices,
  stopBackOfficeSimulators,
  stopServices,
  type SystemLayout,
  offsetPorts,
} from '../dev/local-system';
import { initPki, pkiFiles } from '../pki/certificate-authority';
import { publishRevocationList, withGatewayDatabase } from '../pki/gateway-database';
import { startOtlpCollector } from './otlp-collector/otlp-collector-process';
import { Runner, spawnChild } from '../cli/supervision';

/**
 * The whole test suite: unit tests, then a fresh real Kafka broker and database for the
 * integration and end-to-end tests, with every service running as its own process. Ports and
 * database differ from the development setup, so both can run side by side.
 */
// TEST_PORT_OFFSET lets several checkouts on one machine run their suites side by side.
const offset = Number(process.env.TEST_PORT_OFFSET ?? 0);
const pkiDir = join(repoRoot, '.data/test/pki');
const pki = pkiFiles(pkiDir);
const gatewayTlsPort = 4443 + offset;
// Observability: a test collector every service sends its spans to.
const otlpCollectorPort = 4318 + offset;
const layout: SystemLayout = {
  dataDir: join(repoRoot, '.data/test'),
  databaseUrl:
    process.env.TEST_DATABASE_URL ?? `postgres://postgres@127.0.0.1:5432/umg_test${offset ? `_${offset}` : ''}`,
  ...offsetPorts(offset),
  extraEnv: {
    NODE_ENV: 'test',
    LOG_LEVEL: 'debug',
    APPLICATIONS_OVERDUE_CHECK_INTERVAL_MS: '1000',
    GATEWAY_RATE_LIMIT_PER_SECOND: '50',
    GATEWAY_RATE_LIMIT_BURST: '300',
    // Operator sign-in locks on a short clock, so the lockout tests finish and do not hold up the others.
    OPERATOR_SIGN_IN_ADDRESS_FAILURES: '40',
    OPERATOR_SIGN_IN_WINDOW_SECONDS: '60',
    OPERATOR_SIGN_IN_LOCK_SECONDS: '3',
    // The same for /oauth/token: the attack's spray earns its lock, which ends before it matters to others.
    OAUTH_TOKEN_WINDOW_SECONDS: '60',
    OAUTH_TOKEN_LOCK_SECONDS: '3',
    // One development credential per district, for the isolation matrix.
    DISTRICT_API_KEYS: districts.map((district) => `${district.code}=test-key-${district.code}-0001`).join(','),
    // Payments: quick retries and breaker so outage tests finish in seconds; reconciliation on demand.
    PAYMENTS_SEND_POLL_MS: '200',
    PAYMENTS_SEND_BACKOFF_BASE_MS: '200',
    PAYMENTS_SEND_BACKOFF_MAX_MS: '2000',
    PAYMENTS_BREAKER_FAILURES: '3',
    PAYMENTS_BREAKER_RESET_MS: '1000',
    PAYMENT_SYSTEM_TIMEOUT_MS: '2000',
    PAYMENTS_RECONCILIATION_STALE_MS: '0',
    // Bounded calls on a short clock: given up after 5 tries, a refused client held 3 s, hints confirmed at most every 0.5 s.
    PAYMENTS_SEND_MAX_ATTEMPTS: '5',
    PAYMENTS_UNAUTHORIZED_HOLD_MS: '3000',
    PAYMENTS_CONFIRMATION_MIN_INTERVAL_MS: '500',
    // Delivery on a short clock, so receipts, timeouts and retries happen within a test.
    DELIVERY_RECEIPT_TIMEOUT_MS: '6000',
    DELIVERY_RECEIPT_POLL_MS: '200',
    DELIVERY_POLL_INTERVAL_MS: '100',
    DELIVERY_RETRY_BASE_MS: '200',
    DELIVERY_RETRY_MAX_MS: '1000',
    DELIVERY_LEASE_MS: '15000',
    E_DELIVERY_TIMEOUT_MS: '2000',
    E_DELIVERY_BREAKER_RESET_MS: '1000',
    E_DELIVERY_INBOX_POLL_MS: '500',
    E_DELIVERY_INBOX_LEASE_MS: '3000',
    E_DELIVERY_OPEN_MAX_ATTEMPTS: '3',
    // Push adapters retry fast in tests, so outages and recoveries fit in a test's time.
    PUSH_TIMEOUT_MS: '3000',
    PUSH_BACKOFF_BASE_MS: '200',
    PUSH_BACKOFF_MAX_MS: '2000',
    PUSH_MAX_ATTEMPTS: '30',
    PUSH_POLL_INTERVAL_MS: '100',
    PUSH_CIRCUIT_RESET_MS: '1500',
    PUSH_CIRCUIT_VOLUME_THRESHOLD: '3',
    // A pull district's conformance sandbox expires in seconds, so the expiry path is testable.
    CONFORMANCE_SANDBOX_TIMEOUT_MS: '12000',
    CONFORMANCE_EXPIRY_CHECK_MS: '500',
    // A test PKI of its own, made fresh below: CA, server certificate, token key, OAuth clients file.
    GATEWAY_TLS_PORT: String(gatewayTlsPort),
    GATEWAY_TLS_CERT_FILE: pki.serverCert,
    GATEWAY_TLS_KEY_FILE: pki.serverKey,
    GATEWAY_CLIENT_CA_FILE: pki.caCert,
    OAUTH_SIGNING_KEY_FILE: pki.oauthSigningKey,
    OAUTH_CLIENTS_FILE: pki.oauthClients,
    OAUTH_ISSUER: 'urn:sofia:umg:gateway:test',
    // Exchange-log heads witnessed every 2 s, so a test sees the head of what it just did; empty
    // polls summarised every second, so a test sees their summary.
    EXCHANGE_LOG_HEAD_INTERVAL_MS: '2000',
    EXCHANGE_LOG_POLL_SUMMARY_MS: '1000',
    // Observability: spans to the test collector, sent in quick batches.
    OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${otlpCollectorPort}`,
    OTEL_BSP_SCHEDULE_DELAY: '200',
    OTEL_TRACES_SAMPLER_ARG: '1',
  },
};

interface JestSummary {
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
}

/** Jest as a child of ours (its workers in its process group), so a stop reaches them while it runs. */
async function jest(
  runner: Runner,
  args: string[],
  env: Record<string, string>,
  summaryFile: string,
): Promise<JestSummary & { ok: boolean }> {
  rmSync(summaryFile, { force: true });
  const child = spawnChild(
    process.execPath,
    [join(repoRoot, 'node_modules/jest/bin/jest.js'), '--ci', '--json', `--outputFile=${summaryFile}`, ...args],
    { stdio: 'inherit', env: { ...process.env, ...env }, cwd: repoRoot },
  );
  const status = await new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  if (runner.stopping) throw new Error('stopped');
  let summary: JestSummary = { numPassedTests: 0, numFailedTests: 0, numPendingTests: 0 };
  try {
    summary = JSON.parse(readFileSync(summaryFile, 'utf8')) as JestSummary;
  } catch {
    // jest failed before writing a summary; the exit status says so below.
  }
  return { ...summary, ok: status === 0 };
}

async function resetDatabase(url: string): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  for (const schema of serviceNames) await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await client.end();
}

async function main(runner: Runner): Promise<number> {
  mkdirSync(layout.dataDir, { recursive: true });
  // Named specs (`npm test -- test/x.e2e-spec.ts`) narrow the unit phase too, so a targeted run
  // starts the broker and services without waiting for every unit test first.
  const named = process.argv.slice(2);
  const unit = await jest(
    runner,
    ['--selectProjects', 'unit', ...(named.length > 0 ? ['--passWithNoTests', ...named] : [])],
    {},
    join(layout.dataDir, 'unit.json'),
  );
  if (!unit.ok) {
    console.log(`${unit.numPassedTests} passed, ${unit.numFailedTests} failed`);
    return 1;
  }

  await ensurePostgres(layout.databaseUrl);
  await resetDatabase(layout.databaseUrl);
  rmSync(pkiDir, { recursive: true, force: true });
  // Heads witnessed by an earlier run are of another database (and other keys).
  rmSync(exchangeLogWitnessFile(layout), { force: true });
  await initPki(pkiDir);
  writeFileSync(pki.oauthClients, '[]\n');
  // The signer publishes the first revocation list: without one the gateway refuses every certificate.
  await withGatewayDatabase(layout.databaseUrl, (dataSource) => publishRevocationList(dataSource, pkiDir));
  const brokerDir = join(layout.dataDir, `kafka-${layout.kafkaPort}`);
  // Always a broker of our own, fresh: the outage tests kill and restart it.
  kafkaScript('stop', layout);
  rmSync(brokerDir, { recursive: true, force: true });
  // The stop steps run last started first, however the run ends (a signal included).
  runner.onStop('the Kafka broker', () => kafkaScript('stop', layout));
  kafkaScript('start', layout);
  // The receipt arrives half a second after sending; tests steer the rest over /_sim.
  const eDelivery = await startEDelivery(layout, 500);
  runner.onStop('the e-delivery simulator', () => eDelivery.stop());
  // The payment system's real retry schedule, compressed from minutes and hours to milliseconds.
  const stopPaymentSystem = startPaymentSystemSimulator(layout, {
    PAYMENT_SIMULATOR_RETRY_MS: '100,200,400,800,1500,3000,3000,3000',
    PAYMENT_SIMULATOR_SETTLE_MS: '0',
  });
  runner.onStop('the payment system simulator', stopPaymentSystem);
  const collector = await startOtlpCollector(otlpCollectorPort, join(layout.dataDir, 'logs'));
  runner.onStop('the OTLP collector', () => collector.stop());
  await createTopics(layout);
  const backOffices = await startBackOfficeSimulators(layout);
  runner.onStop('the back-office simulators', () => stopBackOfficeSimulators(backOffices));
  // Up to 3 minutes: on a busy 2-core machine (a broker, a database and ten processes starting at
  // once) the services have needed more than one.
  const services = await startServices(layout, 180_000);
  runner.onStop('the services', () => stopServices(services));
  const integration = await jest(
    runner,
    // Extra arguments (e.g. a test path pattern) narrow the integration run while iterating.
    ['--selectProjects', 'integration', '--runInBand', '--testTimeout=120000', ...process.argv.slice(2)],
    {
      TEST_GATEWAY_URL: `http://127.0.0.1:${layout.ports.gateway}`,
      TEST_GATEWAY_TLS_URL: `https://127.0.0.1:${gatewayTlsPort}`,
      TEST_PKI_DIR: pkiDir,
      TEST_EXCHANGE_LOG_WITNESS_FILE: exchangeLogWitnessFile(layout),
      TEST_OAUTH_ISSUER: layout.extraEnv!.OAUTH_ISSUER!,
      TEST_APPLICATIONS_URL: `http://127.0.0.1:${layout.ports.applications}`,
      TEST_PAYMENTS_URL: `http://127.0.0.1:${layout.ports.payments}`,
      TEST_PAYMENT_SYSTEM_URL: `http://127.0.0.1:${layout.paymentSystemPort}`,
      TEST_DISTRICTS_URL: `http://127.0.0.1:${layout.ports.districts}`,
      TEST_BACK_OFFICE_JSON_URL: districtBackOfficeEnv(layout).BACK_OFFICE_JSON_URL,
      TEST_BACK_OFFICE_SOAP_URL: districtBackOfficeEnv(layout).BACK_OFFICE_SOAP_URL,
      TEST_BACK_OFFICE_SOAP12_URL: districtBackOfficeEnv(layout).BACK_OFFICE_SOAP12_URL,
      TEST_BACK_OFFICE_NESTED_JSON_URL: districtBackOfficeEnv(layout).BACK_OFFICE_NESTED_JSON_URL,
      TEST_KAFKA_BROKERS: layout.kafkaBrokers,
      TEST_KAFKA_PORT: String(layout.kafkaPort),
      TEST_KAFKA_DATA_DIR: brokerDir,
      TEST_DATABASE_URL: layout.databaseUrl,
      TEST_DELIVERY_URL: `http://127.0.0.1:${layout.ports.delivery}`,
      TEST_E_DELIVERY_URL: eDelivery.url,
      // The scale-out test starts more instances of the services with the same settings.
      TEST_SYSTEM_LAYOUT: JSON.stringify(layout),
      // The public callback listeners, and every service's management port (metrics, detailed readiness).
      TEST_PAYMENTS_CALLBACK_URL: callbackUrls(layout).payments,
      TEST_DISTRICTS_CALLBACK_URL: callbackUrls(layout).districts,
      ...Object.fromEntries(
        Object.entries(managementUrls(layout)).map(([name, url]) => [`TEST_${name.toUpperCase()}_MANAGEMENT_URL`, url]),
      ),
      TEST_OTLP_COLLECTOR_URL: collector.url,
    },
    join(layout.dataDir, 'integration.json'),
  );
  const passed = unit.numPassedTests + integration.numPassedTests;
  const failed = unit.numFailedTests + integration.numFailedTests;
  if (!integration.ok) console.log(`service logs: ${join(layout.dataDir, 'logs')}`);
  console.log(`${passed} passed, ${failed} failed`);
  return integration.ok && failed === 0 ? 0 : 1;
}

new Runner().run(main);
