import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import {
  createTopics,
  ensurePostgres,
  kafkaScript,
  repoRoot,
  serviceNames,
  startServices,
  stopServices,
  type SystemLayout,
} from '../dev/local-system';
import { initPki, pkiFiles } from '../pki/certificate-authority';

/**
 * The whole test suite: unit tests, then a fresh real Kafka broker and database for the
 * integration and end-to-end tests, with every service running as its own process. Ports and
 * database differ from the development setup, so both can run side by side.
 */
// TEST_PORT_OFFSET lets several checkouts on one machine run their suites side by side.
const offset = Number(process.env.TEST_PORT_OFFSET ?? 0);
const testKafkaPort = 19092 + offset;
const pkiDir = join(repoRoot, '.data/test/pki');
const pki = pkiFiles(pkiDir);
const gatewayTlsPort = 4443 + offset;
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
  extraEnv: {
    NODE_ENV: 'test',
    LOG_LEVEL: 'debug',
    APPLICATIONS_OVERDUE_CHECK_INTERVAL_MS: '1000',
    DISTRICT_API_KEYS:
      'serdika=test-key-serdika-0001,triaditsa=test-key-triaditsa-0001,nadezhda=test-key-nadezhda-0001,bankya=test-key-bankya-0001',
    // A test PKI of its own, made fresh below: CA, server certificate, token key, OAuth clients file.
    GATEWAY_TLS_PORT: String(gatewayTlsPort),
    GATEWAY_TLS_CERT_FILE: pki.serverCert,
    GATEWAY_TLS_KEY_FILE: pki.serverKey,
    GATEWAY_CLIENT_CA_FILE: pki.caCert,
    OAUTH_SIGNING_KEY_FILE: pki.oauthSigningKey,
    OAUTH_CLIENTS_FILE: pki.oauthClients,
    OAUTH_ISSUER: 'urn:sofia:umg:gateway:test',
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
  rmSync(pkiDir, { recursive: true, force: true });
  await initPki(pkiDir);
  writeFileSync(pki.oauthClients, '[]\n');
  const brokerDir = join(layout.dataDir, `kafka-${layout.kafkaPort}`);
  // Always a broker of our own, fresh: the outage tests kill and restart it.
  kafkaScript('stop', layout);
  rmSync(brokerDir, { recursive: true, force: true });
  kafkaScript('start', layout);
  let services;
  try {
    await createTopics(layout);
    services = await startServices(layout);
    const integration = jest(
      ['--selectProjects', 'integration', '--runInBand', '--testTimeout=120000'],
      {
        TEST_GATEWAY_URL: `http://127.0.0.1:${layout.ports.gateway}`,
        TEST_GATEWAY_TLS_URL: `https://127.0.0.1:${gatewayTlsPort}`,
        TEST_PKI_DIR: pkiDir,
        TEST_OAUTH_ISSUER: layout.extraEnv!.OAUTH_ISSUER!,
        TEST_APPLICATIONS_URL: `http://127.0.0.1:${layout.ports.applications}`,
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
