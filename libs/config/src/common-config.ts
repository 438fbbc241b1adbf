import { isIPv4 } from 'node:net';
import { resolve } from 'node:path';
import { ConfigError } from './config-error';
import { developmentSecretsKey } from './sealed-secret';
import { z } from 'zod';
import { tracingConfigShape } from '@umg/tracing';

/** A comma-separated setting as its trimmed, non-empty items. */
export function commaSeparated(fallback: string) {
  return z
    .string()
    .default(fallback)
    .transform((value) =>
      value
        .split(',')
        .map((item) => item.trim())
        .filter(Boolean),
    );
}

const hostPort = z.string().regex(/^[A-Za-z0-9.-]+:\d{1,5}$/, 'expected host:port');

/** Settings every service shares. Each entry documents itself through `.describe()`. */
export const commonConfigShape = {
  NODE_ENV: z
    .enum(['development', 'test', 'production'])
    .default('production')
    .describe(
      'Runtime profile, production when unset; development and test (dev API keys, demo accounts, development secrets) must be named explicitly and bind to a loopback HOST.',
    ),
  LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
    .default('info')
    .describe('Minimum level of the JSON log lines written to stdout.'),
  HOST: z.string().min(1).default('127.0.0.1').describe('Address the HTTP server binds to.'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'expected a postgres:// URL')
    .default('postgres://postgres@127.0.0.1:5432/umg')
    .describe('PostgreSQL connection URL; each service uses its own schema in this database.'),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(10),
  KAFKA_BROKERS: commaSeparated('127.0.0.1:9092')
    .pipe(z.array(hostPort).min(1, 'at least one broker'))
    .describe('Comma-separated Kafka bootstrap brokers (host:port).'),
  KAFKA_SASL_USERNAME: z
    .string()
    .regex(/^[a-z][a-z0-9-]{0,63}$/, 'expected a Kafka user name')
    .optional()
    .describe('The service’s own Kafka identity (SCRAM-SHA-512 user); required in production.'),
  KAFKA_SASL_PASSWORD_FILE: z
    .string()
    .min(1)
    .optional()
    .describe('File holding the password of KAFKA_SASL_USERNAME (a mounted secret, never the variable itself).'),
  KAFKA_SSL_CA_FILE: z
    .string()
    .min(1)
    .optional()
    .describe(
      'PEM file of the CA the brokers’ TLS certificates chain to; set, the connection is TLS (required in production).',
    ),
  KAFKA_SESSION_TIMEOUT_MS: z.coerce
    .number()
    .int()
    .min(6_000)
    .max(300_000)
    .default(30_000)
    .describe(
      'How long the broker waits for a silent consumer (a crashed instance) before giving its partitions to the others.',
    ),
  EXCHANGE_LOG_SIGNING_KEY_FILE: z
    .string()
    .min(1)
    .optional()
    .describe(
      'This service’s own Ed25519 private key (PKCS#8 PEM) that signs its exchange log (npm run pki -- init makes one per service); required in production, elsewhere defaults to .data/pki/services/<service>/exchange-log.key.pem.',
    ),
  EXCHANGE_LOG_WITNESS_FILE: z
    .string()
    .min(1)
    .optional()
    .describe(
      'Also append the signed exchange-log heads to this file (JSON lines), besides the exchange-log.heads topic.',
    ),
  EXCHANGE_LOG_HEAD_INTERVAL_MS: z.coerce
    .number()
    .int()
    .min(1_000)
    .max(3_600_000)
    .default(60_000)
    .describe('How often the signed exchange-log head is published (and always at shutdown).'),
  SHUTDOWN_TIMEOUT_MS: z.coerce
    .number()
    .int()
    .min(1000)
    .max(120_000)
    .default(15_000)
    .describe('How long graceful shutdown may take before the process exits anyway.'),
  ...tracingConfigShape,
};

export const portSchema = z.coerce.number().int().min(1).max(65535);

/** Whether a bind address reaches this machine only (127.0.0.0/8, ::1, localhost). */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (bare === 'localhost' || bare === '::1') return true;
  return isIPv4(bare) && bare.startsWith('127.');
}

/**
 * Development defaults that must never reach production, and a development or test profile (with
 * its dev API keys, demo accounts and development secrets) that must never listen beyond this machine.
 */
export function refuseDevelopmentSecrets(config: {
  NODE_ENV: string;
  HOST: string;
  EXCHANGE_LOG_SIGNING_KEY_FILE?: string;
  SECRETS_KEY?: string;
  KAFKA_SASL_USERNAME?: string;
  KAFKA_SSL_CA_FILE?: string;
}): void {
  if (config.NODE_ENV !== 'production' && !isLoopbackHost(config.HOST)) {
    throw new ConfigError([
      `HOST: NODE_ENV=${config.NODE_ENV} enables development credentials and binds only to a loopback address (127.0.0.1, ::1); run production outside this machine`,
    ]);
  }
  if (config.NODE_ENV !== 'production') return;
  // Every missing production secret at once, so one boot attempt names them all.
  const issues: string[] = [];
  if (!config.EXCHANGE_LOG_SIGNING_KEY_FILE) {
    issues.push("EXCHANGE_LOG_SIGNING_KEY_FILE: required in production (this service's own exchange-log key)");
  }
  if (config.SECRETS_KEY === developmentSecretsKey) issues.push('SECRETS_KEY: set a secret key in production');
  // Plaintext, anonymous Kafka lets anyone on the network forge any event (review F5).
  if (!config.KAFKA_SASL_USERNAME || !config.KAFKA_SSL_CA_FILE) {
    issues.push(
      'KAFKA_SASL_USERNAME, KAFKA_SASL_PASSWORD_FILE, KAFKA_SSL_CA_FILE: production connects to Kafka over TLS with its own identity; plaintext is refused',
    );
  }
  if (issues.length > 0) throw new ConfigError(issues);
}

/**
 * A service's listeners' ports (`*_PORT`, callback, management) all differ, so no two audiences
 * ever share a port.
 */
export function refuseSharedPorts<T extends Record<string, unknown>>(config: T, ...names: (keyof T & string)[]): void {
  const issues = names.flatMap((name, index) => {
    const clash = names.slice(0, index).find((earlier) => config[earlier] === config[name]);
    return clash ? [`${name}: must differ from ${clash}`] : [];
  });
  if (issues.length > 0) throw new ConfigError(issues);
}

/** The PKI command's default folder, relative to where the services run (the repository root). */
const devPkiDir = '.data/pki';

/** Where a service's exchange-log key and its public half are kept in a PKI folder. */
export function exchangeLogKeyFiles(pkiDir: string, service: string): { privateKey: string; publicKey: string } {
  const dir = `${pkiDir}/services/${service}`;
  return { privateKey: `${dir}/exchange-log.key.pem`, publicKey: `${dir}/exchange-log.public.pem` };
}

/** The service's exchange-log signing key file; outside production an unset one is in the PKI command's default folder. */
export function exchangeLogSigningKeyFile(
  config: { NODE_ENV: string; EXCHANGE_LOG_SIGNING_KEY_FILE?: string },
  service: string,
): string {
  if (config.EXCHANGE_LOG_SIGNING_KEY_FILE) return config.EXCHANGE_LOG_SIGNING_KEY_FILE;
  if (config.NODE_ENV === 'production') {
    throw new ConfigError([
      "EXCHANGE_LOG_SIGNING_KEY_FILE: required in production (this service's own exchange-log key)",
    ]);
  }
  return resolve(exchangeLogKeyFiles(devPkiDir, service).privateKey);
}
