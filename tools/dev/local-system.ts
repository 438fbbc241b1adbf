import { type ChildProcess, execFileSync } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Client } from 'pg';
import { applyKafkaAcls, createKafka, ensureTopics, gatewayTopics } from '@umg/messaging';
import { ensureDatabase } from '@umg/persistence';
import { createLogger } from '@umg/logging';
import { districts } from '@umg/catalogue';
import { exchangeLogKeyFiles } from '@umg/config';
import { initExchangeLogKeys } from '../pki/exchange-log-keys';
import { type EDeliverySimulatorProcess, startEDeliverySimulator } from '../simulators/e-delivery/e-delivery-process';
import { ensureEDeliveryCredentials } from './e-delivery-credentials';
import { ensureServiceIdentityKeys, serviceIdentityDir } from '../pki/service-identity-keys';
import { kafkaIdentityEnv, type LocalBroker, localKafkaConnection } from './kafka-identities';
import { signalGroup, spawnChild, stopChild } from '../cli/supervision';

/** The repository root, from dist/tools/dev or tools/dev alike. */
export const repoRoot = resolve(__dirname, __dirname.includes(`${'/'}dist${'/'}`) ? '../../..' : '../..');

export const serviceNames = ['applications', 'payments', 'delivery', 'districts', 'gateway'] as const;
export type ServiceName = (typeof serviceNames)[number];
/** The services with a public callback listener of their own. */
export type CallbackService = 'payments' | 'districts';

export interface SystemLayout {
  /** Where logs and broker data go. */
  dataDir: string;
  databaseUrl: string;
  kafkaPort: number;
  /** The brokers services use: our own broker on kafkaPort, or a cluster named by KAFKA_BROKERS. */
  kafkaBrokers: string;
  /** Ports of the services' HTTP servers (internal APIs; the gateway's operator and district API). */
  ports: Record<ServiceName, number>;
  /** Ports of the public callback listeners: the payment system's notifications, back offices' answers. */
  callbackPorts: Record<CallbackService, number>;
  /** Ports of the services' management servers (`/metrics`, detailed readiness). */
  managementPorts: Record<ServiceName, number>;
  /** Port of the eGov payment system simulator. */
  paymentSystemPort: number;
  /** Port of the e-delivery simulator, when one runs (its URL goes to the delivery service). */
  eDeliveryPort?: number;
  /**
   * Ports of the simulated push back offices (JSON: Sredets, SOAP: Oborishte, SOAP 1.2: Izgrev;
   * nested JSON: an office with its own schema, onboarded through the operator API by a mapping).
   */
  backOfficePorts: { json: number; soap: number; soap12: number; nestedJson: number };
  extraEnv?: Record<string, string>;
  /** Node.js flags for the services' processes (e.g. the bench's --cpu-prof, which NODE_OPTIONS refuses). */
  serviceNodeArgs?: string[];
}

/**
 * The ports of a system shifted by `offset` from the test suite's (Kafka 19092, services 4000…),
 * so several systems (tests, bench, fuzz, checkouts) run side by side on one machine.
 */
export function offsetPorts(
  offset: number,
): Pick<
  SystemLayout,
  | 'kafkaPort'
  | 'kafkaBrokers'
  | 'ports'
  | 'callbackPorts'
  | 'managementPorts'
  | 'paymentSystemPort'
  | 'eDeliveryPort'
  | 'backOfficePorts'
> {
  return {
    kafkaPort: 19092 + offset,
    kafkaBrokers: `127.0.0.1:${19092 + offset}`,
    ports: {
      gateway: 4000 + offset,
      applications: 4101 + offset,
      payments: 4102 + offset,
      delivery: 4103 + offset,
      districts: 4104 + offset,
    },
    callbackPorts: { payments: 4122 + offset, districts: 4124 + offset },
    managementPorts: {
      gateway: 4010 + offset,
      applications: 4191 + offset,
      payments: 4192 + offset,
      delivery: 4193 + offset,
      districts: 4194 + offset,
    },
    paymentSystemPort: 4105 + offset,
    eDeliveryPort: 4106 + offset,
    backOfficePorts: { json: 4201 + offset, soap: 4202 + offset, soap12: 4203 + offset, nestedJson: 4204 + offset },
  };
}

export const devLayout: SystemLayout = {
  dataDir: join(repoRoot, '.data'),
  databaseUrl: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/umg',
  kafkaPort: 9092,
  kafkaBrokers: process.env.KAFKA_BROKERS ?? '127.0.0.1:9092',
  ports: { gateway: 3000, applications: 3101, payments: 3102, delivery: 3103, districts: 3104 },
  callbackPorts: { payments: 3122, districts: 3124 },
  managementPorts: { gateway: 3090, applications: 3191, payments: 3192, delivery: 3193, districts: 3194 },
  paymentSystemPort: 3105,
  eDeliveryPort: 3106,
  backOfficePorts: { json: 3201, soap: 3202, soap12: 3203, nestedJson: 3204 },
  // The explicit development switch: dev API keys, demo accounts and development secrets (loopback only).
  extraEnv: { NODE_ENV: 'development' },
};

/** The client the payment system simulator knows the gateway by (development credentials only). */
export const devPaymentSystemClient = { clientId: 'sofia-umg-dev', secret: 'dev-payment-system-secret-0000' };

const portVariable: Record<ServiceName, string> = {
  gateway: 'GATEWAY_PORT',
  applications: 'APPLICATIONS_PORT',
  payments: 'PAYMENTS_PORT',
  delivery: 'DELIVERY_PORT',
  districts: 'DISTRICTS_PORT',
};

/** A service's listener ports beyond its HTTP port (callback, management), as its environment. */
function listenerPortsEnv(layout: SystemLayout, name: ServiceName, shift = 0): Record<string, string> {
  const prefix = portVariable[name].replace(/_PORT$/, '');
  const env: Record<string, string> = {
    [`${prefix}_MANAGEMENT_PORT`]: String(layout.managementPorts[name] + shift),
  };
  if (name === 'payments' || name === 'districts') {
    env[`${prefix}_CALLBACK_PORT`] = String(layout.callbackPorts[name] + shift);
  }
  return env;
}

/** Where the payment system sends notifications and back offices their answers: the callback listeners. */
export function callbackUrls(layout: SystemLayout): Record<CallbackService, string> {
  return {
    payments: `http://127.0.0.1:${layout.callbackPorts.payments}`,
    districts: `http://127.0.0.1:${layout.callbackPorts.districts}`,
  };
}

/** Where each service's management server answers (`/metrics`, detailed `/health/ready`). */
export function managementUrls(layout: SystemLayout): Record<ServiceName, string> {
  return Object.fromEntries(
    serviceNames.map((name) => [name, `http://127.0.0.1:${layout.managementPorts[name]}`]),
  ) as Record<ServiceName, string>;
}

const log = createLogger('local-system', process.env.LOG_LEVEL ?? 'info');

/** PostgreSQL on this machine: start the local cluster if it is down (as the brief allows). */
export async function ensurePostgres(databaseUrl: string): Promise<void> {
  const probe = async () => {
    const client = new Client({ connectionString: databaseUrl.replace(/\/[^/]*$/, '/postgres') });
    await client.connect();
    await client.end();
  };
  try {
    await probe();
  } catch {
    log.info('PostgreSQL is down; starting the local cluster');
    execFileSync('bash', ['-c', 'pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start'], {
      stdio: 'inherit',
    });
    await probe();
  }
  await ensureDatabase(databaseUrl);
}

export function kafkaScript(command: string, layout: SystemLayout, extra: Record<string, string> = {}): void {
  execFileSync(join(repoRoot, 'deploy/kafka/kafka.sh'), [command], {
    stdio: 'inherit',
    env: {
      ...process.env,
      KAFKA_PORT: String(layout.kafkaPort),
      KAFKA_DATA_DIR: join(layout.dataDir, `kafka-${layout.kafkaPort}`),
      ...extra,
    },
  });
}

/** The layout's broker: its data dir (identities) and bootstrap addresses. */
export function localBroker(layout: Pick<SystemLayout, 'dataDir' | 'kafkaPort' | 'kafkaBrokers'>): LocalBroker {
  return { dir: join(layout.dataDir, `kafka-${layout.kafkaPort}`), brokers: layout.kafkaBrokers.split(',') };
}

/** Topics, then the ACLs of the table (libs/messaging kafka-acls.ts), as the admin identity. */
export async function createTopics(layout: SystemLayout): Promise<void> {
  const connection = localKafkaConnection(localBroker(layout), 'admin');
  const kafka = createKafka(connection, 'umg-setup', log);
  const created = await ensureTopics(kafka, gatewayTopics);
  if (created.length > 0) log.info({ created }, 'topics created');
  if (!connection.sasl) return; // a broker without identities (a cluster named by KAFKA_BROKERS) has its own ACLs
  const acls = await applyKafkaAcls(kafka);
  if (acls.created + acls.deleted > 0) log.info(acls, 'Kafka ACLs applied');
}

/** The districts' e-delivery signing keys and certificates (made by `ensureEDeliveryCredentials`). */
export function eDeliveryCredentialsDir(layout: Pick<SystemLayout, 'dataDir'>): string {
  return join(layout.dataDir, 'e-delivery-credentials');
}

/**
 * The e-delivery simulator on the layout's port, after making the districts' signing identities
 * (`default` and the pilots'); it registers their certificates as ССЕВ's administrators would.
 */
export async function startEDelivery(layout: SystemLayout, receiptDelayMs: number): Promise<EDeliverySimulatorProcess> {
  await ensureEDeliveryCredentials(eDeliveryCredentialsDir(layout), [
    'default',
    ...districts.filter((district) => district.pilot).map((district) => district.code),
  ]);
  return startEDeliverySimulator(layout.eDeliveryPort!, join(layout.dataDir, 'logs'), {
    receiptDelayMs,
    certificatesDir: eDeliveryCredentialsDir(layout),
  });
}

/** The services' environment; also makes the layout's service identity keys if missing (`<dataDir>/pki/services`). */
export function serviceEnv(layout: SystemLayout): Record<string, string> {
  const pkiDir = join(layout.dataDir, 'pki');
  ensureServiceIdentityKeys(pkiDir);
  const env: Record<string, string> = {
    SERVICE_IDENTITY_DIR: serviceIdentityDir(pkiDir),
    DATABASE_URL: layout.databaseUrl,
    KAFKA_BROKERS: layout.kafkaBrokers,
    APPLICATIONS_URL: `http://127.0.0.1:${layout.ports.applications}`,
    DELIVERY_URL: `http://127.0.0.1:${layout.ports.delivery}`,
    PAYMENTS_URL: `http://127.0.0.1:${layout.ports.payments}`,
    DISTRICTS_URL: `http://127.0.0.1:${layout.ports.districts}`,
    PAYMENT_SYSTEM_URL: `http://127.0.0.1:${layout.paymentSystemPort}`,
    PAYMENT_SYSTEM_CLIENT_ID: devPaymentSystemClient.clientId,
    PAYMENT_SYSTEM_SECRET: devPaymentSystemClient.secret,
    PAYMENTS_NOTIFICATION_URL: `${callbackUrls(layout).payments}/v1/payment-notifications`,
    DISTRICTS_PUBLIC_URL: callbackUrls(layout).districts,
    // The result notices' feedback links point at the gateway the applicant's browser reaches.
    FEEDBACK_PUBLIC_URL: `http://127.0.0.1:${layout.ports.gateway}`,
    ...(layout.eDeliveryPort ? { E_DELIVERY_URL: `http://127.0.0.1:${layout.eDeliveryPort}` } : {}),
    E_DELIVERY_CREDENTIALS_DIR: eDeliveryCredentialsDir(layout),
    E_DELIVERY_INBOX_POLL_MS: '2000',
    ...districtBackOfficeEnv(layout),
    ...layout.extraEnv,
  };
  for (const name of serviceNames) {
    env[portVariable[name]] = String(layout.ports[name]);
    Object.assign(env, listenerPortsEnv(layout, name));
  }
  return env;
}

/** The PKI folder of a layout (`npm run pki -- init` makes the development one, the test runner its own). */
export function layoutPkiDir(layout: Pick<SystemLayout, 'dataDir'>): string {
  return join(layout.dataDir, 'pki');
}

/** The layout's witness file: every service appends its signed exchange-log heads to it. */
export function exchangeLogWitnessFile(layout: Pick<SystemLayout, 'dataDir'>): string {
  return join(layout.dataDir, 'exchange-log-heads.jsonl');
}

/**
 * A service's own exchange-log key (made in the layout's PKI folder when missing, like
 * `npm run pki -- init` does) and the witness file of its heads.
 */
function exchangeLogEnv(layout: SystemLayout, service: ServiceName): Record<string, string> {
  const pkiDir = layoutPkiDir(layout);
  initExchangeLogKeys(pkiDir, [service]);
  return {
    EXCHANGE_LOG_SIGNING_KEY_FILE: exchangeLogKeyFiles(pkiDir, service).privateKey,
    EXCHANGE_LOG_WITNESS_FILE: exchangeLogWitnessFile(layout),
  };
}

export interface ServiceProcessOptions {
  /** Which instance of the service this is (0, the default, is the first); names its log file. */
  instance?: number;
  /**
   * Its HTTP port, when not the layout's: a second instance on one machine needs its own. Its
   * callback and management ports move by as much.
   */
  port?: number;
  /** Restarts the process when it dies unexpectedly (default); off where a test kills instances on purpose. */
  restart?: boolean;
  /** Environment on top of the layout's, e.g. a smaller database pool or another TLS port. */
  env?: Record<string, string>;
  /** The script to run instead of the service's own (tests of the supervisor). */
  script?: string;
}

/**
 * Whether a process that exited should be started again: only after a crash. One that stopped
 * when asked (SIGINT, SIGTERM or SIGHUP: from its runner, or from someone who signalled it
 * directly) or that exited cleanly is never restarted, whatever the order in which they die.
 */
export function exitedByCrash(code: number | null, signal: NodeJS.Signals | null): boolean {
  if (signal === 'SIGINT' || signal === 'SIGTERM' || signal === 'SIGHUP') return false;
  return signal !== null || (code !== null && code !== 0);
}

/**
 * V8 heap bounds of each service (issue 19: every service under 250 MB RSS). Without them Node.js
 * sizes the heap from the machine's memory (≈ 4 GB of old space and 32 MB semi-spaces on a 24 GiB
 * machine) and lets garbage pile up under load: 430–490 MB RSS with 45–55 MB live in the old space.
 * Semi-spaces of 8 MB keep the young generation near 16 MB (a scavenge costs what survives it, not
 * the space's size); the old space gets ≈ 2.5 times the live set seen after an e2e run, more for
 * delivery (SOAP envelopes, signing, documents) and districts (15 MB push answers and mappings).
 * The same flags belong in the deployment's NODE_OPTIONS.
 */
export const serviceHeapFlags: Record<ServiceName, string[]> = {
  applications: ['--max-old-space-size=128', '--max-semi-space-size=8'],
  payments: ['--max-old-space-size=128', '--max-semi-space-size=8'],
  delivery: ['--max-old-space-size=160', '--max-semi-space-size=8'],
  districts: ['--max-old-space-size=160', '--max-semi-space-size=8'],
  gateway: ['--max-old-space-size=128', '--max-semi-space-size=8'],
};

/** One service instance as a child process, its JSON log in a file, restarted if it dies unexpectedly. */
export class ServiceProcess {
  private child: ChildProcess | undefined;
  private stopping = false;
  private restartTimer: NodeJS.Timeout | undefined;
  restarts = 0;

  constructor(
    readonly name: ServiceName,
    private readonly layout: SystemLayout,
    private readonly options: ServiceProcessOptions = {},
  ) {}

  get port(): number {
    return this.options.port ?? this.layout.ports[this.name];
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Whether the process is running (not yet exited). */
  get alive(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  start(): void {
    this.stopping = false;
    const logs = join(this.layout.dataDir, 'logs');
    mkdirSync(logs, { recursive: true });
    const instance = this.options.instance ?? 0;
    const out = createWriteStream(join(logs, `${this.name}${instance ? `-${instance}` : ''}.log`), { flags: 'a' });
    const script = this.options.script ?? join(repoRoot, `dist/services/${this.name}/src/main.js`);
    const nodeArgs = [...serviceHeapFlags[this.name], ...(this.layout.serviceNodeArgs ?? [])];
    // A process group of its own (tools/cli/supervision): the runner alone decides when it stops.
    const child = spawnChild(process.execPath, [...nodeArgs, script], {
      env: {
        ...process.env,
        ...exchangeLogEnv(this.layout, this.name),
        ...serviceEnv(this.layout),
        [portVariable[this.name]]: String(this.port),
        ...listenerPortsEnv(this.layout, this.name, this.port - this.layout.ports[this.name]),
        // Each service its own Kafka identity.
        ...kafkaIdentityEnv(localBroker(this.layout), this.name),
        ...this.options.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.pipe(out, { end: false });
    child.stderr!.pipe(out, { end: false });
    child.on('exit', (code, signal) => {
      if (this.child !== child || this.stopping || this.options.restart === false) return;
      if (!exitedByCrash(code, signal)) {
        log.info({ service: this.name, instance, code, signal }, 'service stopped');
        return;
      }
      this.restarts += 1;
      log.warn({ service: this.name, instance, code, signal }, 'service exited; restarting');
      this.restartTimer = setTimeout(() => {
        this.restartTimer = undefined;
        if (!this.stopping) this.start();
      }, 1_000);
    });
    this.child = child;
  }

  /** Kills the process as a crash would (no graceful shutdown); the supervisor restarts it unless told not to. */
  crash(): void {
    if (this.child) signalGroup(this.child, 'SIGKILL');
  }

  /** Kills the process and waits until it is gone. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || !this.alive) return;
    await stopChild(child, 0);
  }

  async stop(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.restartTimer);
    const child = this.child;
    // A process killed by a signal has no exit code, only a signal code.
    if (!child || !this.alive) return;
    await stopChild(child);
  }

  async waitReady(timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let last = '';
    while (Date.now() < deadline) {
      if (!this.alive && this.options.restart === false) throw new Error(`${this.name} exited before it was ready`);
      try {
        const response = await fetch(`${this.url}/health/ready`, { signal: AbortSignal.timeout(3_000) });
        if (response.ok) return;
        last = await response.text();
      } catch (error) {
        last = error instanceof Error ? error.message : String(error);
      }
      await new Promise((done) => setTimeout(done, 300));
    }
    throw new Error(`${this.name} not ready after ${timeoutMs} ms: ${last}`);
  }
}

/** Starts every service and waits until each says it is ready (longer on a busy machine). */
export async function startServices(
  layout: SystemLayout,
  readyTimeoutMs = 60_000,
): Promise<Map<ServiceName, ServiceProcess>> {
  const processes = new Map(serviceNames.map((name) => [name, new ServiceProcess(name, layout)]));
  for (const service of processes.values()) service.start();
  try {
    await Promise.all([...processes.values()].map((service) => service.waitReady(readyTimeoutMs)));
  } catch (error) {
    // Leave no orphans behind when the system does not come up.
    await stopServices(processes);
    throw error;
  }
  return processes;
}

export async function stopServices(processes: Map<ServiceName, ServiceProcess>): Promise<void> {
  await Promise.all([...processes.values()].map((service) => service.stop()));
}

/**
 * The eGov payment system simulator as its own process (the test runner's jest runs block its
 * event loop), with its log in a file. `env` tunes it (retry schedule, simulated citizens).
 */
export function startPaymentSystemSimulator(
  layout: SystemLayout,
  env: Record<string, string> = {},
): () => Promise<void> {
  const logs = join(layout.dataDir, 'logs');
  mkdirSync(logs, { recursive: true });
  const out = createWriteStream(join(logs, 'payment-system-simulator.log'), { flags: 'a' });
  const child = spawnChild(process.execPath, [join(repoRoot, 'dist/tools/simulators/payment-system/main.js')], {
    env: {
      ...process.env,
      PAYMENT_SIMULATOR_PORT: String(layout.paymentSystemPort),
      PAYMENT_SYSTEM_CLIENT_ID: devPaymentSystemClient.clientId,
      PAYMENT_SYSTEM_SECRET: devPaymentSystemClient.secret,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.pipe(out);
  child.stderr!.pipe(out);
  return () => stopChild(child);
}

/** The keys SOAP pushes to back offices are signed with, `<keyRef>.key.pem` and `<keyRef>.crt.pem`. */
export function backOfficeCredentialsDir(layout: Pick<SystemLayout, 'dataDir'>): string {
  return join(layout.dataDir, 'back-office-credentials');
}

/** How the districts service finds the simulated push back offices, and the secrets both sides sign with. */
export function districtBackOfficeEnv(layout: SystemLayout): Record<string, string> {
  return {
    DISTRICT_PROFILES_FILE: join(repoRoot, 'tools/dev/district-profiles.yaml'),
    BACK_OFFICE_JSON_URL: `http://127.0.0.1:${layout.backOfficePorts.json}`,
    BACK_OFFICE_SOAP_URL: `http://127.0.0.1:${layout.backOfficePorts.soap}`,
    BACK_OFFICE_SOAP12_URL: `http://127.0.0.1:${layout.backOfficePorts.soap12}`,
    // The keys SOAP pushes are signed with (WS-Security X.509); the SOAP 1.2 office has their certificates on file.
    PUSH_SIGNING_KEYS_DIR: backOfficeCredentialsDir(layout),
    BACK_OFFICE_SOAP12_CERTIFICATES_DIR: backOfficeCredentialsDir(layout),
    BACK_OFFICE_NESTED_JSON_URL: `http://127.0.0.1:${layout.backOfficePorts.nestedJson}`,
    // The back-office simulators listen on loopback over plain http: allowed here, and only here.
    PUSH_PRIVATE_HOSTS: '127.0.0.1',
    PUSH_HTTP_HOSTS: '127.0.0.1',
    BACK_OFFICE_JSON_PORT: String(layout.backOfficePorts.json),
    BACK_OFFICE_SOAP_PORT: String(layout.backOfficePorts.soap),
    BACK_OFFICE_SOAP12_PORT: String(layout.backOfficePorts.soap12),
    BACK_OFFICE_NESTED_JSON_PORT: String(layout.backOfficePorts.nestedJson),
    // Local secrets only; real ones come from the deployment's secret store.
    DISTRICT_SECRET_SREDETS: process.env.DISTRICT_SECRET_SREDETS ?? 'local-secret-sredets-0001',
    DISTRICT_SECRET_OBORISHTE: process.env.DISTRICT_SECRET_OBORISHTE ?? 'local-secret-oborishte-0001',
  };
}

/** The simulated push back offices as their own process (tests run jest synchronously, so not in ours). */
export async function startBackOfficeSimulators(layout: SystemLayout): Promise<ChildProcess> {
  // The key and certificate the gateway signs Izgrev's SOAP pushes with (made once, like e-delivery's).
  await ensureEDeliveryCredentials(backOfficeCredentialsDir(layout), ['izgrev']);
  const logs = join(layout.dataDir, 'logs');
  mkdirSync(logs, { recursive: true });
  const out = createWriteStream(join(logs, 'district-back-offices.log'), { flags: 'a' });
  const child = spawnChild(process.execPath, [join(repoRoot, 'dist/tools/simulators/district-back-office/main.js')], {
    env: { ...process.env, ...serviceEnv(layout) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // Two sources into one file: neither may end it for the other.
  child.stdout!.pipe(out, { end: false });
  child.stderr!.pipe(out, { end: false });
  const env = districtBackOfficeEnv(layout);
  for (const url of [
    env.BACK_OFFICE_JSON_URL,
    env.BACK_OFFICE_SOAP_URL,
    env.BACK_OFFICE_SOAP12_URL,
    env.BACK_OFFICE_NESTED_JSON_URL,
  ]) {
    for (let attempt = 0; ; attempt++) {
      const up = await fetch(`${url}/_registrations/none`).then(
        (response) => response.ok,
        () => false,
      );
      if (up) break;
      if (attempt > 100 || child.exitCode !== null) throw new Error(`back-office simulator at ${url} did not start`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  return child;
}

export async function stopBackOfficeSimulators(child: ChildProcess): Promise<void> {
  await stopChild(child);
}
