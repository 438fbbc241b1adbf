import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { commonConfigShape, refuseDevelopmentSecrets } from './common-config';
import { ConfigError } from './config-error';
import { kafkaConnection } from './kafka-connection';
import { loadConfig } from './load-config';

const schema = z.object(commonConfigShape);
const production = {
  NODE_ENV: 'production',
  EXCHANGE_LOG_SIGNING_KEY_FILE: '/run/umg-exchange-log/exchange-log.key.pem',
};

describe('Kafka identity and TLS from config (security review F5)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kafka-config-'));
  const passwordFile = join(dir, 'password');
  const caFile = join(dir, 'ca.crt');
  writeFileSync(passwordFile, 'the-password\n');
  writeFileSync(caFile, '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
  const identity = {
    KAFKA_SASL_USERNAME: 'umg-payments',
    KAFKA_SASL_PASSWORD_FILE: passwordFile,
    KAFKA_SSL_CA_FILE: caFile,
  };

  it('refuses plaintext or anonymous Kafka in production', () => {
    expect(() => refuseDevelopmentSecrets(loadConfig(schema, production))).toThrow(/plaintext is refused/);
    const withoutTls = { ...production, ...identity, KAFKA_SSL_CA_FILE: undefined };
    expect(() => refuseDevelopmentSecrets(loadConfig(schema, withoutTls))).toThrow(/plaintext is refused/);
    const withoutUser = { ...production, ...identity, KAFKA_SASL_USERNAME: undefined };
    expect(() => refuseDevelopmentSecrets(loadConfig(schema, withoutUser))).toThrow(/plaintext is refused/);
    expect(() => refuseDevelopmentSecrets(loadConfig(schema, { ...production, ...identity }))).not.toThrow();
  });

  it('allows plaintext outside production (a broker on this machine)', () => {
    const config = loadConfig(schema, { NODE_ENV: 'development' });
    expect(() => refuseDevelopmentSecrets(config)).not.toThrow();
    expect(kafkaConnection(config)).toEqual({ brokers: ['127.0.0.1:9092'] });
  });

  it('reads the password and the CA from their files, once, at boot', () => {
    const config = loadConfig(schema, { ...production, ...identity, KAFKA_BROKERS: 'kafka:9093' });
    expect(kafkaConnection(config)).toEqual({
      brokers: ['kafka:9093'],
      tls: { ca: expect.stringContaining('BEGIN CERTIFICATE') },
      sasl: { username: 'umg-payments', password: 'the-password' },
    });
  });

  it('stops the boot on a missing secret file or a user without a password', () => {
    const missing = loadConfig(schema, { ...identity, KAFKA_SASL_PASSWORD_FILE: join(dir, 'nothing') });
    expect(() => kafkaConnection(missing)).toThrow(/KAFKA_SASL_PASSWORD_FILE: cannot read/);
    const noPassword = loadConfig(schema, { ...identity, KAFKA_SASL_PASSWORD_FILE: undefined });
    expect(() => kafkaConnection(noPassword)).toThrow(ConfigError);
  });
});
