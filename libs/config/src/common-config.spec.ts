import { z } from 'zod';
import { commonConfigShape, isLoopbackHost, refuseDevelopmentSecrets, refuseSharedPorts } from './common-config';
import { ConfigError } from './config-error';
import { loadConfig } from './load-config';

const schema = z.object(commonConfigShape);

describe('safe defaults (security review F6)', () => {
  it('takes an unset NODE_ENV as production, so development keys and secrets stay off', () => {
    expect(loadConfig(schema, {}).NODE_ENV).toBe('production');
  });

  it('refuses to run without its own exchange-log signing key once NODE_ENV is unset', () => {
    expect(() => refuseDevelopmentSecrets(loadConfig(schema, { HOST: '0.0.0.0' }))).toThrow(ConfigError);
    expect(() => refuseDevelopmentSecrets(loadConfig(schema, { HOST: '0.0.0.0' }))).toThrow(
      /EXCHANGE_LOG_SIGNING_KEY_FILE/,
    );
    expect(() =>
      refuseDevelopmentSecrets(
        loadConfig(schema, { HOST: '0.0.0.0', EXCHANGE_LOG_SIGNING_KEY_FILE: '/run/secrets/exchange-log.key.pem' }),
      ),
    ).not.toThrow(/EXCHANGE_LOG_SIGNING_KEY_FILE/);
  });

  it.each(['development', 'test'])('refuses NODE_ENV=%s on an address beyond this machine', (profile) => {
    for (const host of ['0.0.0.0', '::', '10.0.0.5', 'umg.example']) {
      expect(() => refuseDevelopmentSecrets(loadConfig(schema, { NODE_ENV: profile, HOST: host }))).toThrow(/loopback/);
    }
  });

  it('allows the development profile on loopback addresses only', () => {
    for (const host of ['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]']) expect(isLoopbackHost(host)).toBe(true);
    for (const host of ['0.0.0.0', '::', '128.0.0.1', '127.0.0.1.example', 'localhost.example']) {
      expect(isLoopbackHost(host)).toBe(false);
    }
    expect(() => refuseDevelopmentSecrets(loadConfig(schema, { NODE_ENV: 'development' }))).not.toThrow();
  });
});

describe('listener ports', () => {
  it('refuses two listeners of a service on one port, naming both', () => {
    const config = { PAYMENTS_PORT: 3102, PAYMENTS_CALLBACK_PORT: 3102, PAYMENTS_MANAGEMENT_PORT: 3192 };
    expect(() =>
      refuseSharedPorts(config, 'PAYMENTS_PORT', 'PAYMENTS_CALLBACK_PORT', 'PAYMENTS_MANAGEMENT_PORT'),
    ).toThrow('PAYMENTS_CALLBACK_PORT: must differ from PAYMENTS_PORT');
    expect(() =>
      refuseSharedPorts({ ...config, PAYMENTS_CALLBACK_PORT: 3122 }, 'PAYMENTS_PORT', 'PAYMENTS_CALLBACK_PORT'),
    ).not.toThrow();
  });
});
