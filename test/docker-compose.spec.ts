import { createHash, createPrivateKey } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { commonConfigShape, kafkaConnection, loadConfig, type ServiceName } from '@umg/config';
import { createLogger } from '@umg/logging';
import { kafkaUsers } from '@umg/messaging';
import { loadServiceIdentity } from '@umg/platform';
import { applicationsConfigSchema, loadApplicationsConfig } from '../services/applications/src/config';
import { deliveryConfigSchema, loadDeliveryConfig } from '../services/delivery/src/config';
import { districtsConfigSchema, loadDistrictsConfig } from '../services/districts/src/config';
import { readDistrictSecretKeyring } from '../services/districts/src/secrets/district-secret-keyring';
import { gatewayConfigSchema, gatewayFiles, loadGatewayConfig } from '../services/gateway/src/config';
import { mutualTlsOptions } from '../services/gateway/src/auth/mutual-tls-listener';
import { loadPaymentsConfig, paymentsConfigSchema } from '../services/payments/src/config';
import { composeDemoConfigSchema } from '../tools/dev/compose-demo';
import { composeCallers, ensureComposeSecrets } from '../tools/dev/compose-init';

interface VolumeMount {
  type: 'volume' | 'bind';
  source: string;
  target: string;
  read_only?: boolean;
  volume?: { subpath?: string };
}

interface ComposeService {
  image?: string;
  build?: string;
  command?: string[];
  entrypoint?: string[];
  volumes?: (string | VolumeMount)[];
  ports?: string[];
  environment?: Record<string, string | number>;
  profiles?: string[];
  depends_on?: Record<string, { condition: string }>;
}

const root = join(__dirname, '..');
const compose = parse(readFileSync(join(root, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<string, ComposeService>;
  volumes: Record<string, unknown>;
};
const services = compose.services;

/** Each service's real loader: its schema, the production refusals main.ts gets from it. */
const loaders = {
  applications: loadApplicationsConfig,
  payments: loadPaymentsConfig,
  delivery: loadDeliveryConfig,
  districts: loadDistrictsConfig,
  gateway: loadGatewayConfig,
} satisfies Record<ServiceName, (env: Record<string, string | undefined>) => unknown>;
const serviceNames = Object.keys(loaders) as ServiceName[];
/** The schemas the loaders parse with (the loaders' refusals come on top). */
const schemas: Record<ServiceName, z.ZodObject> = {
  applications: applicationsConfigSchema,
  payments: paymentsConfigSchema,
  delivery: deliveryConfigSchema,
  districts: districtsConfigSchema,
  gateway: gatewayConfigSchema,
};
const simulators = ['payment-system', 'e-delivery', 'demo'];

/** A service's environment as the container gets it (compose passes every value as a string). */
const environmentOf = (name: string): Record<string, string> =>
  Object.fromEntries(Object.entries(services[name]!.environment ?? {}).map(([key, value]) => [key, String(value)]));

/** Mounts in the long form; the short `./host:/container[:ro]` form as a bind mount. */
function mountsOf(name: string): VolumeMount[] {
  return (services[name]!.volumes ?? []).map((volume) => {
    if (typeof volume !== 'string') return volume;
    const [source, target, mode] = volume.split(':');
    return source!.startsWith('.')
      ? { type: 'bind', source: source!, target: target!, read_only: mode === 'ro' }
      : { type: 'volume', source: source!, target: target!, read_only: mode === 'ro' };
  });
}

let secrets: string;
let created: string[];

beforeAll(async () => {
  // The `secrets` service's own code, into a folder standing for the umg-secrets volume.
  secrets = mkdtempSync(join(tmpdir(), 'umg-compose-secrets-'));
  created = await ensureComposeSecrets(secrets);
}, 60_000);

afterAll(() => rmSync(secrets, { recursive: true, force: true }));

/** Where a container path is on this machine: in the secrets folder or the repository, through the container's mounts. */
function hostPath(name: string, containerPath: string): string | undefined {
  const mount = mountsOf(name)
    .filter((candidate) => containerPath === candidate.target || containerPath.startsWith(`${candidate.target}/`))
    .sort((a, b) => b.target.length - a.target.length)[0];
  if (!mount) return undefined;
  const rest = containerPath.slice(mount.target.length);
  if (mount.type === 'bind') return join(root, mount.source, rest);
  if (mount.source !== 'umg-secrets') return undefined;
  return join(secrets, mount.volume?.subpath ?? '', rest);
}

/** The container's environment with every path into a mount replaced by where that file is here. */
function hostEnvironment(name: string): Record<string, string> {
  return Object.fromEntries(
    Object.entries(environmentOf(name)).map(([key, value]) => [
      key,
      value.startsWith('/') ? (hostPath(name, value) ?? value) : value,
    ]),
  );
}

/** Every file under a folder, relative to it. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((entry) => statSync(join(dir, entry)).isFile())
    .sort();
}

/** The callers a service's main.ts accepts (serviceIdentityOrExit's third argument). */
function callersInMain(name: ServiceName): string[] {
  const main = readFileSync(join(root, `services/${name}/src/main.ts`), 'utf8');
  const list = /serviceIdentityOrExit\(\s*'[a-z]+',\s*config\.SERVICE_IDENTITY_DIR,\s*\[([^\]]*)\]/.exec(main)![1]!;
  return [...list.matchAll(/'([a-z]+)'/g)].map((match) => match[1]!);
}

describe('docker-compose.yml: the set', () => {
  it('runs PostgreSQL and Kafka from their official images, the secrets and Kafka set-up once, every service, the simulators and the demo', () => {
    expect(Object.keys(services).sort()).toEqual(
      [...serviceNames, ...simulators, 'postgres', 'kafka', 'kafka-setup', 'secrets', 'pki-signer'].sort(),
    );
    expect(services.postgres!.image).toMatch(/^postgres:\d+$/);
    expect(services.kafka!.image).toMatch(/^apache\/kafka:\d+\.\d+\.\d+$/);
    // `docker compose up` leaves a service with a profile out: the signer runs only by `compose run`.
    expect(Object.keys(services).filter((name) => services[name]!.profiles)).toEqual(['pki-signer']);
    expect(services['pki-signer']!.profiles).toEqual(['signer']);
  });

  it('starts every container from a compiled entry point whose source exists', () => {
    const build = readFileSync(join(root, 'scripts/build.mjs'), 'utf8');
    for (const [name, service] of Object.entries(services)) {
      if (service.image) continue;
      expect([name, service.build]).toEqual([name, '.']);
      const [program, script] = service.entrypoint ?? service.command!;
      expect([name, program]).toEqual([name, 'node']);
      // dist/<dir>/….js is compiled from <dir>/….ts by scripts/build.mjs (services, libs and tools).
      const source = script!.replace(/^dist\//, '').replace(/\.js$/, '.ts');
      expect([name, existsSync(join(root, source))]).toEqual([name, true]);
      expect(build).toContain(`'${source.split('/')[0]}'`);
    }
  });

  it('waits for the secrets and the Kafka set-up to finish and for PostgreSQL to be healthy before any service', () => {
    for (const name of serviceNames) {
      expect(services[name]!.depends_on).toEqual({
        secrets: { condition: 'service_completed_successfully' },
        'kafka-setup': { condition: 'service_completed_successfully' },
        postgres: { condition: 'service_healthy' },
      });
    }
    expect(services.kafka!.depends_on).toEqual({ secrets: { condition: 'service_completed_successfully' } });
    expect(services['kafka-setup']!.depends_on).toEqual({ kafka: { condition: 'service_healthy' } });
    expect(services.secrets!.depends_on).toEqual({ postgres: { condition: 'service_healthy' } });
  });

  it('makes the development secrets on first start, into the volume, and only what is missing after', async () => {
    expect(compose.volumes).toHaveProperty('umg-secrets');
    const init = services.secrets!;
    expect(init.command).toEqual(['node', 'dist/tools/dev/compose-init.js']);
    expect(mountsOf('secrets')).toEqual([
      { type: 'volume', source: 'umg-secrets', target: environmentOf('secrets').COMPOSE_SECRETS_DIR, read_only: false },
    ]);
    // The image makes that folder the non-root user's, so a new volume is writable by the init.
    const dockerfile = readFileSync(join(root, 'Dockerfile'), 'utf8');
    expect(dockerfile).toContain(`mkdir -p ${environmentOf('secrets').COMPOSE_SECRETS_DIR} && chown node:node`);
    expect(created.length).toBeGreaterThan(20);
    const digest = () =>
      createHash('sha256')
        .update(
          filesUnder(secrets)
            .map((file) => `${file}:${readFileSync(join(secrets, file), 'base64')}`)
            .join('\n'),
        )
        .digest('hex');
    const before = digest();
    expect(await ensureComposeSecrets(secrets)).toEqual([]);
    expect(digest()).toBe(before);
  });

  it('mounts files that exist: the repository’s into the broker, the secrets’ folders into the rest', () => {
    for (const name of Object.keys(services)) {
      for (const mount of mountsOf(name)) {
        if (mount.type === 'bind') {
          expect([name, mount.source, existsSync(join(root, mount.source))]).toEqual([name, mount.source, true]);
          expect([name, mount.source, mount.read_only]).toEqual([name, mount.source, true]);
        } else if (name !== 'secrets' && name !== 'postgres') {
          expect([name, mount.source]).toEqual([name, 'umg-secrets']);
          const folder = join(secrets, mount.volume!.subpath!);
          expect([name, folder, existsSync(folder)]).toEqual([name, folder, true]);
        }
      }
    }
  });
});

describe.each(serviceNames)('docker-compose.yml: %s', (name) => {
  it('boots its real configuration loader with exactly compose’s environment (production)', () => {
    const environment = hostEnvironment(name);
    expect(environment.NODE_ENV).toBe('production');
    expect(() => loaders[name](environment)).not.toThrow();
  });

  it('sets every variable that has no default or a development one, and none its schema does not know', () => {
    const environment = environmentOf(name);
    const shape = schemas[name].shape as Record<string, z.ZodType>;
    const needed = Object.keys(shape).filter((key) => {
      const parsed = shape[key]!.safeParse(undefined);
      if (!parsed.success) return true;
      return /127\.0\.0\.1|localhost|development|\.data/.test(JSON.stringify(parsed.data) ?? '');
    });
    expect(needed.filter((key) => !(key in environment))).toEqual([]);
    // The shared anchor names every internal URL; a service gets only those its schema reads.
    const unknown = Object.keys(environment).filter((key) => !(key in shape));
    expect(unknown.filter((key) => !/^(APPLICATIONS|PAYMENTS|DELIVERY|DISTRICTS)_URL$/.test(key))).toEqual([]);
  });

  it('reads its Kafka identity, its service identity (with the callers main.ts accepts) and its exchange-log key from its folder', async () => {
    const config = loaders[name](hostEnvironment(name)) as never as Parameters<typeof kafkaConnection>[0] & {
      SERVICE_IDENTITY_DIR: string;
      EXCHANGE_LOG_SIGNING_KEY_FILE: string;
    };
    const connection = kafkaConnection(config);
    expect(connection.sasl).toMatchObject({ username: name, password: expect.stringMatching(/^[0-9a-f]{48}$/) });
    expect(connection.tls?.ca).toContain('BEGIN CERTIFICATE');
    expect(composeCallers[name]).toEqual(callersInMain(name));
    await expect(loadServiceIdentity(config.SERVICE_IDENTITY_DIR, name, composeCallers[name])).resolves.toBeDefined();
    expect(createPrivateKey(readFileSync(config.EXCHANGE_LOG_SIGNING_KEY_FILE)).asymmetricKeyType).toBe('ed25519');
  });

  it('names only paths inside its own folder of the secrets, and mounts that folder alone, read-only', () => {
    const mounts = mountsOf(name);
    expect(mounts).toEqual([
      { type: 'volume', source: 'umg-secrets', target: '/run/umg', read_only: true, volume: { subpath: name } },
    ]);
    for (const [key, value] of Object.entries(environmentOf(name))) {
      if (!value.startsWith('/')) continue;
      const path = hostPath(name, value);
      expect([key, path !== undefined && existsSync(path)]).toEqual([key, true]);
    }
  });

  it('holds no other service’s private key and never the CA key', () => {
    const files = filesUnder(join(secrets, name));
    const privateKeys = files.filter((file) => /key\.pem$|password$|keyring$/.test(file));
    const own = [
      `identity/${name}/identity.key.pem`,
      'exchange-log/exchange-log.key.pem',
      'kafka/password',
      ...(name === 'gateway' ? ['pki/oauth-signing.key.pem', 'pki/server.key.pem'] : []),
      ...(name === 'districts' ? ['district-secrets/keyring'] : []),
    ];
    // Delivery signs as the districts towards e-delivery: their keys are its own.
    const expected =
      name === 'delivery' ? [...own, ...privateKeys.filter((file) => file.startsWith('e-delivery/'))] : own;
    expect(privateKeys.sort()).toEqual(expected.sort());
    expect(files.filter((file) => /ca\.key\.pem|issued\.json|revocation-list|clients\//.test(file))).toEqual([]);
    // The callers' public identity keys only, and no other callee's.
    const publicKeys = files.filter((file) => file.endsWith('identity.public.pem')).map((file) => file.split('/')[1]);
    expect(publicKeys.sort()).toEqual([...composeCallers[name]].sort());
  });
});

describe('docker-compose.yml: service-specific start-up', () => {
  const logger = createLogger('docker-compose-spec', 'silent');

  it('gives the gateway exactly the PKI files it reads, and its mutual TLS listener starts from them', () => {
    const config = loadGatewayConfig(hostEnvironment('gateway'));
    const options = mutualTlsOptions(config, logger)!;
    expect(options.cert!.toString()).toContain('BEGIN CERTIFICATE');
    const files = gatewayFiles(config);
    expect(existsSync(files.oauthSigningKey!)).toBe(true);
    expect(filesUnder(join(secrets, 'gateway/pki'))).toEqual([
      'ca.cert.pem',
      'oauth-clients.json',
      'oauth-signing.key.pem',
      'server.cert.pem',
      'server.key.pem',
    ]);
  });

  it('seals the districts’ secrets with a keyring made for this set, not the development one', () => {
    const config = loadDistrictsConfig(hostEnvironment('districts'));
    expect(() => readDistrictSecretKeyring(config)).not.toThrow();
  });

  it('gives delivery the districts’ e-delivery identities, whose certificates the e-delivery simulator knows', () => {
    const config = loadDeliveryConfig(hostEnvironment('delivery'));
    const identities = readdirSync(config.E_DELIVERY_CREDENTIALS_DIR);
    const certificates = readdirSync(
      hostPath('e-delivery', environmentOf('e-delivery').E_DELIVERY_SIM_CERTIFICATES_DIR!)!,
    );
    expect(certificates.sort()).toEqual(identities.filter((file) => file.endsWith('.crt.pem')).sort());
    expect(certificates).toContain('default.crt.pem');
  });
});

describe('docker-compose.yml: Kafka', () => {
  it('formats the broker with a SCRAM user per entry of the ACL table, from files its properties name', () => {
    const properties = readFileSync(join(root, 'deploy/kafka/compose-server.properties'), 'utf8');
    expect(properties).toContain('listener.security.protocol.map=CLIENT:SASL_SSL,CONTROLLER:PLAINTEXT');
    expect(properties).toContain('allow.everyone.if.no.acl.found=false');
    for (const [, dir, file] of properties.matchAll(/\$\{dir:([^:]+):([^}]+)\}/g)) {
      const path = hostPath('kafka', `${dir}/${file}`);
      expect([file, path !== undefined && existsSync(path)]).toEqual([file, true]);
    }
    const credentials = hostPath('kafka', '/run/umg-kafka/credentials')!;
    expect(readdirSync(credentials).sort()).toEqual([...kafkaUsers].map((user) => `${user}.password`).sort());
    const script = readFileSync(join(root, 'deploy/kafka/compose-broker.sh'), 'utf8');
    expect(script).toContain('CREDENTIALS=/run/umg-kafka/credentials');
  });

  it.each(['kafka-setup', 'demo'])('connects %s as its own user over TLS', (name) => {
    const user = { 'kafka-setup': 'admin', demo: 'portal' }[name]!;
    const config = loadConfig(z.object(commonConfigShape), hostEnvironment(name));
    expect(kafkaConnection(config).sasl).toMatchObject({ username: user });
    expect(readFileSync(config.KAFKA_SASL_PASSWORD_FILE!, 'utf8')).toBe(
      readFileSync(join(secrets, 'master/kafka/credentials', `${user}.password`), 'utf8'),
    );
  });

  it('gives every service the password the broker was formatted with for its user', () => {
    for (const name of serviceNames) {
      const environment = hostEnvironment(name);
      expect(readFileSync(environment.KAFKA_SASL_PASSWORD_FILE!, 'utf8')).toBe(
        readFileSync(join(hostPath('kafka', '/run/umg-kafka/credentials')!, `${name}.password`), 'utf8'),
      );
    }
  });
});

describe('docker-compose.yml: the simulators and the demo', () => {
  /** `http://<compose service>:<port>` of a URL variable. */
  const target = (url: string) => {
    const { hostname, port } = new URL(url);
    return { service: hostname, port };
  };

  it('points payments at the payment system simulator, with the client it knows, and the simulator at payments’ callback', () => {
    const payments = environmentOf('payments');
    const simulator = environmentOf('payment-system');
    expect(target(payments.PAYMENT_SYSTEM_URL!)).toEqual({
      service: 'payment-system',
      port: simulator.PAYMENT_SIMULATOR_PORT,
    });
    expect([payments.PAYMENT_SYSTEM_CLIENT_ID, payments.PAYMENT_SYSTEM_SECRET]).toEqual([
      simulator.PAYMENT_SYSTEM_CLIENT_ID,
      simulator.PAYMENT_SYSTEM_SECRET,
    ]);
    expect(target(payments.PAYMENTS_NOTIFICATION_URL!)).toEqual({
      service: 'payments',
      port: payments.PAYMENTS_CALLBACK_PORT,
    });
    expect(Number(simulator.PAYMENT_SIMULATOR_AUTO_PAY_SHARE)).toBeGreaterThan(0);
  });

  it('points delivery and the demo at the e-delivery simulator', () => {
    const simulator = environmentOf('e-delivery');
    for (const name of ['delivery', 'demo']) {
      expect(target(environmentOf(name).E_DELIVERY_URL!)).toEqual({
        service: 'e-delivery',
        port: simulator.E_DELIVERY_SIM_PORT,
      });
    }
  });

  it('lets the simulators listen beyond the container’s loopback, as their entry points read it', () => {
    for (const name of ['payment-system', 'e-delivery']) {
      expect(environmentOf(name).SIMULATOR_HOST).toBe('0.0.0.0');
      const script = services[name]!.command![1]!.replace(/^dist\//, '').replace(/\.js$/, '.ts');
      expect(readFileSync(join(root, script), 'utf8')).toContain('SIMULATOR_HOST');
    }
  });

  it('loads the demo’s configuration with compose’s environment', () => {
    const config = loadConfig(composeDemoConfigSchema, hostEnvironment('demo'));
    expect(config.DEMO_PER_MINUTE).toBeGreaterThan(0);
  });

  it('points every internal URL at a service of the set, on the port that service listens on', () => {
    for (const name of serviceNames) {
      for (const [key, value] of Object.entries(environmentOf(name))) {
        if (!/_URL$/.test(key) || key === 'DATABASE_URL') continue;
        const { service, port } = target(value);
        if (service === 'localhost') continue; // the published callback's public address
        expect([key, service in services]).toEqual([key, true]);
        const listens = Object.entries(environmentOf(service))
          .filter(([variable]) => /PORT$/.test(variable) && !/MANAGEMENT/.test(variable))
          .map(([, listened]) => listened);
        expect([key, listens]).toEqual([key, expect.arrayContaining([port])]);
      }
    }
  });
});

describe('docker-compose.yml: what is published', () => {
  it('publishes only the gateway (operator listener on loopback, mutual TLS) and the callback listeners', () => {
    const env = (name: string, key: string) => environmentOf(name)[key]!;
    const published = Object.fromEntries(
      Object.entries(services)
        .filter(([, service]) => service.ports)
        .map(([name, service]) => [name, service.ports]),
    );
    expect(published).toEqual({
      payments: [`${env('payments', 'PAYMENTS_CALLBACK_PORT')}:${env('payments', 'PAYMENTS_CALLBACK_PORT')}`],
      districts: [`${env('districts', 'DISTRICTS_CALLBACK_PORT')}:${env('districts', 'DISTRICTS_CALLBACK_PORT')}`],
      gateway: [
        `127.0.0.1:${env('gateway', 'GATEWAY_PORT')}:${env('gateway', 'GATEWAY_PORT')}`,
        `${env('gateway', 'GATEWAY_TLS_PORT')}:${env('gateway', 'GATEWAY_TLS_PORT')}`,
      ],
    });
    expect(env('districts', 'DISTRICTS_PUBLIC_URL')).toMatch(
      new RegExp(`:${env('districts', 'DISTRICTS_CALLBACK_PORT')}$`),
    );
  });

  it.each(serviceNames)('keeps the metrics of %s on a management port of its own, not published', (name) => {
    const environment = environmentOf(name);
    const management = environment[`${name.toUpperCase()}_MANAGEMENT_PORT`]!;
    expect(management).toMatch(/^\d+$/);
    const own = Object.entries(environment)
      .filter(([key]) => key.endsWith('_PORT') && !key.endsWith('_MANAGEMENT_PORT'))
      .map(([, value]) => value);
    expect(own).not.toContain(management);
    expect((services[name]!.ports ?? []).some((mapping) => mapping.split(':').includes(management))).toBe(false);
  });

  it('lets only the signer (and the init that made it) hold the CA key', () => {
    for (const name of Object.keys(services).filter((candidate) => !['secrets', 'pki-signer'].includes(candidate))) {
      for (const mount of mountsOf(name)) {
        expect([name, mount.volume?.subpath?.startsWith('master') ?? false]).toEqual([name, false]);
      }
    }
    expect(mountsOf('pki-signer')).toEqual([
      { type: 'volume', source: 'umg-secrets', target: '/run/umg-pki-signer', volume: { subpath: 'master/pki' } },
    ]);
    expect(existsSync(join(secrets, 'master/pki/ca.key.pem'))).toBe(true);
    expect(environmentOf('pki-signer').PKI_DIR).toBe('/run/umg-pki-signer');
  });
});

describe('the image and Node.js', () => {
  const dockerfile = readFileSync(join(root, 'Dockerfile'), 'utf8');
  const packageJson = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
    engines: { node: string };
    devDependencies: Record<string, string>;
  };

  it('builds in stages on a Node.js LTS image and runs as a non-root user', () => {
    const bases = [...dockerfile.matchAll(/^FROM (\S+)/gm)].map((match) => match[1]!);
    expect(bases.length).toBeGreaterThanOrEqual(2);
    expect(dockerfile).toMatch(/^COPY --from=build /m);
    expect(dockerfile.match(/^USER (\S+)/m)?.[1]).toBe('node');
    // Even majors are the LTS lines; 24 is the oldest still supported.
    const majors = bases.map((base) => Number(/^node:(\d+)/.exec(base)?.[1]));
    for (const major of majors) expect([major, major % 2, major >= 24]).toEqual([major, 0, true]);
  });

  it('runs the same Node.js major everywhere: the image, engines, and the `node` the npm scripts put first on PATH', () => {
    const imageMajor = Number(/^FROM node:(\d+)/m.exec(dockerfile)![1]);
    expect(packageJson.engines.node).toBe(`>=${imageMajor}`);
    expect(packageJson.devDependencies.node).toMatch(new RegExp(`^\\^${imageMajor}\\.`));
    // This test runs under that node (npm run and npx put node_modules/.bin first).
    expect(Number(process.versions.node.split('.')[0])).toBeGreaterThanOrEqual(imageMajor);
  });

  it('keeps keys, local data and the repository out of the image build context (.dockerignore)', () => {
    const ignored = readFileSync(join(root, '.dockerignore'), 'utf8')
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line && !line.startsWith('#'));
    for (const entry of ['.data/', '.git', 'node_modules', '**/*.pem', '**/*.key']) expect(ignored).toContain(entry);
    // The Dockerfile copies the context whole, so the ignore file is what keeps them out.
    expect(dockerfile).toContain('COPY . .');
  });
});
