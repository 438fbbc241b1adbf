import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { z } from 'zod';
import { loadConfig } from '@umg/config';
import { applicationsConfigSchema } from '../services/applications/src/config';
import { deliveryConfigSchema } from '../services/delivery/src/config';
import { districtsConfigSchema } from '../services/districts/src/config';
import { gatewayConfigSchema } from '../services/gateway/src/config';
import { paymentsConfigSchema } from '../services/payments/src/config';

interface ComposeService {
  command?: string[];
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

/** docker-compose.yml cannot run here (no Docker engine); this keeps it true to the code. */
describe('docker-compose.yml', () => {
  it('runs every service, plus Kafka and PostgreSQL', () => {
    expect(Object.keys(compose.services).sort()).toEqual([...Object.keys(schemas), 'kafka', 'postgres'].sort());
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
