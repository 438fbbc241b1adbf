import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import {
  createTopics,
  districtBackOfficeEnv,
  ensurePostgres,
  kafkaScript,
  repoRoot,
  serviceNames,
  startBackOfficeSimulators,
  startServices,
  stopBackOfficeSimulators,
  stopServices,
  type SystemLayout,
} from '../dev/local-system';

/**
 * The whole test suite: unit tests, then a fresh real Kafka broker and database for the
 * integration and end-to-end tests, with every service running as its own process. Ports and
 * database differ from the development setup, so both can run side by side.
 */
// TEST_PORT_OFFSET lets several checkouts on one machine run their suites side by side.
const offset = Number(process.env.TEST_PORT_OFFSET ?? 0);
const testKafkaPort = 19092 + offset;
const layout: SystemLayout = {
  dataDir: join(repoRoot, '.data/test'),
  databaseUrl:
    process.env.TEST_DATABASE_URL ?? `postgres://postgres@127.0.0.1:5432/umg_test${offset ? `_${offset}` : ''}`,
  kafkaPort: testKafkaPort,
  kafkaBrokers: `127.0.0.1:${testKafkaPort}`,
  ports: {
    gateway: 4000 + offset,
    applications: 4101 + offset,
    payments: 4102 + offset,
    delivery: 4103 + offset,
    districts: 4104 + offset,
  },
  backOfficePorts: { json: 4201 + offset, soap: 4202 + offset },
  extraEnv: {
    NODE_ENV: 'test',
    LOG_LEVEL: 'debug',
    APPLICATIONS_OVERDUE_CHECK_INTERVAL_MS: '1000',
    DISTRICT_API_KEYS:
      'serdika=test-key-serdika-0001,triaditsa=test-key-triaditsa-0001,nadezhda=test-key-nadezhda-0001,bankya=test-key-bankya-0001',
    // Push adapters retry fast in tests, so outages and recoveries fit in a test's time.
    DELIVERY_TIMEOUT_MS: '3000',
    DELIVERY_BACKOFF_BASE_MS: '200',
    DELIVERY_BACKOFF_MAX_MS: '2000',
    DELIVERY_MAX_ATTEMPTS: '30',
    DELIVERY_POLL_INTERVAL_MS: '100',
    CIRCUIT_RESET_MS: '1500',
    CIRCUIT_VOLUME_THRESHOLD: '3',
  },
};

interface JestSummary {
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
}

function jest(args: string[], env: Record<string, string>, summaryFile: string): JestSummary & { ok: boolean } {
  const result = spawnSync(
    process.execPath,
    [join(repoRoot, 'node_modules/jest/bin/jest.js'), '--ci', '--json', `--outputFile=${summaryFile}`, ...args],
    { stdio: 'inherit', env: { ...process.env, ...env }, cwd: repoRoot },
  );
  let summary: JestSummary = { numPassedTests: 0, numFailedTests: 0, numPendingTests: 0 };
  try {
    summary = JSON.parse(readFileSync(summaryFile, 'utf8')) as JestSummary;
  } catch {
    // jest failed before writing a summary; the exit status says so below.
  }
  return { ...summary, ok: result.status === 0 };
}

async function resetDatabase(url: string): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  for (const schema of serviceNames) await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await client.end();
}

async function main(): Promise<number> {
  mkdirSync(layout.dataDir, { recursive: true });
  const unit = jest(['--selectProjects', 'unit'], {}, join(layout.dataDir, 'unit.json'));
  if (!unit.ok) {
    console.log(`${unit.numPassedTests} passed, ${unit.numFailedTests} failed`);
    return 1;
  }

  await ensurePostgres(layout.databaseUrl);
  await resetDatabase(layout.databaseUrl);
  const brokerDir = join(layout.dataDir, `kafka-${layout.kafkaPort}`);
  // Always a broker of our own, fresh: the outage tests kill and restart it.
  kafkaScript('stop', layout);
  rmSync(brokerDir, { recursive: true, force: true });
  kafkaScript('start', layout);
  let services;
  let backOffices;
  try {
    await createTopics(layout);
    backOffices = await startBackOfficeSimulators(layout);
    services = await startServices(layout);
    const integration = jest(
      // Extra arguments (e.g. a test path pattern) narrow the integration run while iterating.
      ['--selectProjects', 'integration', '--runInBand', '--testTimeout=120000', ...process.argv.slice(2)],
      {
        TEST_GATEWAY_URL: `http://127.0.0.1:${layout.ports.gateway}`,
        TEST_APPLICATIONS_URL: `http://127.0.0.1:${layout.ports.applications}`,
        TEST_DISTRICTS_URL: `http://127.0.0.1:${layout.ports.districts}`,
        TEST_BACK_OFFICE_JSON_URL: districtBackOfficeEnv(layout).BACK_OFFICE_JSON_URL,
        TEST_BACK_OFFICE_SOAP_URL: districtBackOfficeEnv(layout).BACK_OFFICE_SOAP_URL,
        TEST_KAFKA_BROKERS: layout.kafkaBrokers,
        TEST_KAFKA_PORT: String(layout.kafkaPort),
        TEST_KAFKA_DATA_DIR: brokerDir,
        TEST_DATABASE_URL: layout.databaseUrl,
      },
      join(layout.dataDir, 'integration.json'),
    );
    const passed = unit.numPassedTests + integration.numPassedTests;
    const failed = unit.numFailedTests + integration.numFailedTests;
    if (!integration.ok) console.log(`service logs: ${join(layout.dataDir, 'logs')}`);
    console.log(`${passed} passed, ${failed} failed`);
    return integration.ok && failed === 0 ? 0 : 1;
  } finally {
    if (services) await stopServices(services);
    if (backOffices) await stopBackOfficeSimulators(backOffices);
    kafkaScript('stop', layout);
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
