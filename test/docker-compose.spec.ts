import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { z } from 'zod';
import { loadConfig, refuseDevelopmentSecrets } from '@umg/config';
import { kafkaUsers } from '@umg/messaging';
import { applicationsConfigSchema } from '../services/applications/src/config';
import { deliveryConfigSchema } from '../services/delivery/src/config';
import { districtsConfigSchema } from '../services/districts/src/config';
import { gatewayConfigSchema } from '../services/gateway/src/config';
import { paymentsConfigSchema } from '../services/payments/src/config';

interface ComposeService {
  command?: string[];
  volumes?: string[];
  ports?: string[];
  environment?: Record<string, string | number>;
  profiles?: string[];
}

const root = join(__dirname, '..');
const compose = parse(readFileSync(join(root, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<string, ComposeService>;
};

const schemas: Record<string, z.ZodObject> = {
  applications: applicationsConfigSchema,
  payments: paymentsConfigSchema,
  delivery: deliveryConfigSchema,
  districts: districtsConfigSchema,
  gateway: gatewayConfigSchema,
};

const order = (name: string) => ['gateway', 'applications', 'payments', 'delivery', 'districts'].indexOf(name);

/** docker-compose.yml cannot run here (no Docker engine); this keeps it true to the code. */
describe('docker-compose.yml', () => {
  it('runs every service, plus Kafka (and its one-off setup) and PostgreSQL (and the signer, only when asked)', () => {
    expect(Object.keys(compose.services).sort()).toEqual(
      [...Object.keys(schemas), 'kafka', 'kafka-setup', 'postgres', 'pki-signer'].sort(),
    );
    // `docker compose up` leaves a service with a profile out: the signer runs only by `compose run`.
    expect(compose.services['pki-signer']!.profiles).toEqual(['signer']);
  });

  it.each(Object.keys(schemas))(
    'connects %s to Kafka over TLS as its own user, with only its password mounted',
    (name) => {
      const service = compose.services[name]!;
      const environment = Object.fromEntries(
        Object.entries(service.environment ?? {}).map(([key, value]) => [key, String(value)]),
      );
      expect(environment.KAFKA_SASL_USERNAME).toBe(name);
      expect(() => refuseDevelopmentSecrets(loadConfig(schemas[name]!, environment) as never)).not.toThrow();
      const mounted = (path: string) => service.volumes!.find((volume) => volume.split(':')[1] === path)?.split(':')[0];
      expect(mounted(environment.KAFKA_SASL_PASSWORD_FILE!)).toBe(`./.data/kafka-compose/credentials/${name}.password`);
      expect(mounted(environment.KAFKA_SSL_CA_FILE!)).toBe('./.data/kafka-compose/tls/ca.cert.pem');
      expect(service.volumes!.filter((volume) => volume.includes('/credentials/'))).toHaveLength(1);
    },
  );

  it('runs the broker with SASL_SSL, the users of the ACL table and no anonymous access', () => {
    const properties = readFileSync(join(root, 'deploy/kafka/compose-server.properties'), 'utf8');
    expect(properties).toContain('listener.security.protocol.map=CLIENT:SASL_SSL,CONTROLLER:PLAINTEXT');
    expect(properties).toContain('allow.everyone.if.no.acl.found=false');
    expect(properties).toMatch(/^listeners=CLIENT:\/\/:9092,CONTROLLER:\/\/localhost:9093$/m);
    const setup = compose.services['kafka-setup']!;
    expect(setup.command).toEqual(['node', 'dist/tools/dev/kafka-setup.js']);
    expect(setup.environment!.KAFKA_SASL_USERNAME).toBe('admin');
    expect(existsSync(join(root, 'tools/dev/kafka-setup.ts'))).toBe(true);
    expect([...kafkaUsers]).toEqual(['admin', ...Object.keys(schemas).sort((a, b) => order(a) - order(b)), 'portal']);
  });

  it.each(Object.keys(schemas))('starts %s from a compiled entry point that exists', (name) => {
    const command = compose.services[name]!.command!;
    expect(command[0]).toBe('node');
    expect(command[1]).toBe(`dist/services/${name}/src/main.js`);
    expect(existsSync(join(root, `services/${name}/src/main.ts`))).toBe(true);
  });

  it.each(Object.keys(schemas))('gives %s only variables its config knows, and valid values', (name) => {
    const environment = Object.fromEntries(
      Object.entries(compose.services[name]!.environment ?? {}).map(([key, value]) => [key, String(value)]),
    );
    const known = Object.keys(schemas[name]!.shape);
    expect(Object.keys(environment).filter((key) => !known.includes(key))).toEqual([]);
    expect(() => loadConfig(schemas[name]!, environment)).not.toThrow();
  });

  it('publishes only the gateway (operator listener on loopback, mutual TLS) and the callback listeners', () => {
    const env = (name: string, key: string) => String(compose.services[name]!.environment![key]);
    const published = Object.fromEntries(
      Object.entries(compose.services).map(([name, service]) => [name, service.ports ?? []]),
    );
    expect(published).toEqual({
      kafka: [],
      'kafka-setup': [],
      'pki-signer': [],
      postgres: [],
      applications: [],
      delivery: [],
      payments: [`${env('payments', 'PAYMENTS_CALLBACK_PORT')}:${env('payments', 'PAYMENTS_CALLBACK_PORT')}`],
      districts: [`${env('districts', 'DISTRICTS_CALLBACK_PORT')}:${env('districts', 'DISTRICTS_CALLBACK_PORT')}`],
      gateway: [
        `127.0.0.1:${env('gateway', 'GATEWAY_PORT')}:${env('gateway', 'GATEWAY_PORT')}`,
        `${env('gateway', 'GATEWAY_TLS_PORT')}:${env('gateway', 'GATEWAY_TLS_PORT')}`,
      ],
    });
    // The callbacks' public addresses are the published callback ports.
    expect(env('payments', 'PAYMENTS_NOTIFICATION_URL')).toContain(`:${env('payments', 'PAYMENTS_CALLBACK_PORT')}/`);
    expect(env('districts', 'DISTRICTS_PUBLIC_URL')).toMatch(
      new RegExp(`:${env('districts', 'DISTRICTS_CALLBACK_PORT')}$`),
    );
  });

  it.each(Object.keys(schemas))('keeps the metrics of %s on a management port of its own, not published', (name) => {
    const service = compose.services[name]!;
    const management = String(service.environment![`${name.toUpperCase()}_MANAGEMENT_PORT`]);
    expect(management).toMatch(/^\d+$/);
    const own = Object.entries(service.environment!)
      .filter(([key]) => key.endsWith('_PORT') && !key.endsWith('_MANAGEMENT_PORT'))
      .map(([, value]) => String(value));
    expect(own).not.toContain(management);
    expect((service.ports ?? []).some((mapping) => mapping.split(':').includes(management))).toBe(false);
  });

  it('points the gateway at the applications service’s configured port', () => {
    const applicationsPort = compose.services.applications!.environment!.APPLICATIONS_PORT;
    expect(compose.services.gateway!.environment!.APPLICATIONS_URL).toBe(`http://applications:${applicationsPort}`);
  });
});

/** Which service may hold each secret: a service never gets another one's. Shared ones are listed as such. */
const everyService = Object.keys(schemas);
const secretHolders: Record<string, string[]> = {
  DATABASE_URL: everyService,
  // The same path in every container, each mounting its own service's key there.
  EXCHANGE_LOG_SIGNING_KEY_FILE: everyService,
  SECRETS_KEY: ['payments', 'districts'],
  PAYMENT_SYSTEM_SECRET: ['payments'],
  FEEDBACK_TOKEN_SECRET: ['applications', 'delivery'],
  E_DELIVERY_CREDENTIALS_DIR: ['delivery'],
  GATEWAY_TLS_KEY_FILE: ['gateway'],
  OAUTH_SIGNING_KEY_FILE: ['gateway'],
  OAUTH_CLIENTS_FILE: ['gateway'],
};
/** Variables that hold a secret or name where one is. */
const secretVariable = /(SECRET|PASSWORD|_KEY|DATABASE_URL|_KEY_FILE|CLIENTS_FILE|CREDENTIALS_DIR)$|^DISTRICT_SECRET_/;
/** Public material several services may mount: callers' identity public keys, the broker's CA certificate. */
const publicMaterial = /\.public\.pem$|kafka-compose\/tls\/ca\.cert\.pem$/;
/** What only the signer holds: the CA key, its records, and the districts' own keys. */
const signerOnly = /ca\.key\.pem|issued\.json|revocation-list\.crl|(^|\/)clients(\/|$)|client\.key\.pem/;

describe('docker-compose.yml: each service holds only its own secrets', () => {
  const mountSource = (volume: string) => volume.split(':')[0]!;

  it.each(everyService)('mounts no CA key, signer record or district client key into %s', (name) => {
    for (const volume of compose.services[name]!.volumes ?? []) {
      const source = mountSource(volume);
      expect([volume, signerOnly.test(source)]).toEqual([volume, false]);
      // A whole PKI folder would bring them all: files only, named one by one.
      expect([volume, /\.data\/pki\/?$/.test(source)]).toEqual([volume, false]);
    }
  });

  it('gives the gateway exactly the PKI files it reads, and nothing of the PKI to any other service', () => {
    const gateway = compose.services.gateway!;
    const pkiMounts = (gateway.volumes ?? []).filter((volume) => volume.split(':')[1]!.startsWith('/run/umg-pki/'));
    const mounted = new Map(pkiMounts.map((volume) => [volume.split(':')[1]!, mountSource(volume)]));
    const named = Object.entries(gateway.environment!)
      .filter(([key, path]) => key.endsWith('_FILE') && String(path).startsWith('/run/umg-pki/'))
      .map(([, path]) => String(path));
    expect([...mounted.keys()].sort()).toEqual(named.sort());
    expect([...mounted.values()].map((source) => source.replace('./.data/pki/', '')).sort()).toEqual([
      'ca.cert.pem',
      'oauth-clients.json',
      'oauth-signing.key.pem',
      'server.cert.pem',
      'server.key.pem',
    ]);
    // Of the PKI folder the others get only their own keys (services/<name>) and callers' public keys.
    for (const name of everyService.filter((service) => service !== 'gateway')) {
      const pkiSources = (compose.services[name]!.volumes ?? [])
        .map(mountSource)
        .filter((source) => source.includes('pki'));
      expect(
        pkiSources.filter((source) => source !== `./.data/pki/services/${name}` && !publicMaterial.test(source)),
      ).toEqual([]);
    }
  });

  it.each(everyService)('gives %s no other service’s secret', (name) => {
    const service = compose.services[name]!;
    const held = Object.keys(service.environment ?? {}).filter((key) => secretVariable.test(key));
    const foreign = held.filter(
      (key) => !(secretHolders[key] ?? (key.startsWith('DISTRICT_SECRET_') ? ['districts'] : [])).includes(name),
    );
    expect(foreign).toEqual([]);
    // A mounted folder of secrets belongs to one service only.
    for (const volume of service.volumes ?? []) {
      const source = mountSource(volume);
      if (publicMaterial.test(source)) continue;
      const sharers = everyService.filter((other) =>
        (compose.services[other]!.volumes ?? []).some((entry) => mountSource(entry) === source),
      );
      expect([source, sharers]).toEqual([source, [name]]);
    }
  });

  it('lets only the signer hold the CA key', () => {
    const signer = compose.services['pki-signer']!;
    expect(signer.volumes).toEqual(['./.data/pki:/run/umg-pki-signer']);
    expect(signer.command).toEqual(['crl']);
  });

  it('keeps keys, local data and the repository out of the image build context (.dockerignore)', () => {
    const ignored = readFileSync(join(root, '.dockerignore'), 'utf8')
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line && !line.startsWith('#'));
    for (const entry of ['.data/', '.git', 'node_modules', '**/*.pem', '**/*.key']) expect(ignored).toContain(entry);
    // The Dockerfile copies the context whole, so the ignore file is what keeps them out.
    expect(readFileSync(join(root, 'Dockerfile'), 'utf8')).toContain('COPY . .');
  });
});
