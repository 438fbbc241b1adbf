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
  it('runs every service, plus Kafka (and its one-off setup) and PostgreSQL', () => {
    expect(Object.keys(compose.services).sort()).toEqual(
      [...Object.keys(schemas), 'kafka', 'kafka-setup', 'postgres'].sort(),
    );
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

  it('publishes the gateway on the ports its config listens on (HTTP and mutual TLS)', () => {
    const gateway = compose.services.gateway!;
    const port = String(gateway.environment!.GATEWAY_PORT);
    const tlsPort = String(gateway.environment!.GATEWAY_TLS_PORT);
    expect(gateway.ports).toEqual([`${port}:${port}`, `${tlsPort}:${tlsPort}`]);
  });

  it('keeps the gateway’s metrics on a management port of their own, not published on the host', () => {
    const gateway = compose.services.gateway!;
    const management = String(gateway.environment!.GATEWAY_MANAGEMENT_PORT);
    expect(management).toMatch(/^\d+$/);
    expect([String(gateway.environment!.GATEWAY_PORT), String(gateway.environment!.GATEWAY_TLS_PORT)]).not.toContain(
      management,
    );
    expect(gateway.ports!.some((mapping) => mapping.split(':').includes(management))).toBe(false);
  });

  it('points the gateway at the applications service’s configured port', () => {
    const applicationsPort = compose.services.applications!.environment!.APPLICATIONS_PORT;
    expect(compose.services.gateway!.environment!.APPLICATIONS_URL).toBe(`http://applications:${applicationsPort}`);
  });
});
