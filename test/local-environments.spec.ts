import { ConfigError } from '@umg/config';
import { devLayout, serviceEnv } from '../tools/dev/local-system';
import { loadApplicationsConfig } from '../services/applications/src/config';
import { loadDeliveryConfig } from '../services/delivery/src/config';
import { loadDistrictsConfig } from '../services/districts/src/config';
import { loadGatewayConfig } from '../services/gateway/src/config';
import { loadPaymentsConfig } from '../services/payments/src/config';

const loaders = {
  applications: loadApplicationsConfig,
  payments: loadPaymentsConfig,
  delivery: loadDeliveryConfig,
  districts: loadDistrictsConfig,
  gateway: loadGatewayConfig,
};

/** `npm start` names its development profile explicitly, and that profile stays on loopback. */
describe('the environment npm start gives the services', () => {
  const env = serviceEnv(devLayout);
  const productionKafka = {
    KAFKA_SASL_USERNAME: 'umg-districts',
    KAFKA_SASL_PASSWORD_FILE: '/run/umg-kafka-user/password',
    KAFKA_SSL_CA_FILE: '/run/umg-kafka-ca/ca.crt',
  };

  it.each(Object.keys(loaders))('boots %s with every boot-time rule, in the development profile', (name) => {
    const config = loaders[name as keyof typeof loaders](env);
    expect(config.NODE_ENV).toBe('development');
  });

  it('allow-lists only the loopback simulators for plain-http pushes', () => {
    expect(loadDistrictsConfig(env)).toMatchObject({
      PUSH_HTTP_HOSTS: ['127.0.0.1'],
      PUSH_PRIVATE_HOSTS: ['127.0.0.1'],
    });
  });

  it.each(Object.keys(loaders))('refuses %s with the same profile on a public address', (name) => {
    expect(() => loaders[name as keyof typeof loaders]({ ...env, HOST: '0.0.0.0' })).toThrow(ConfigError);
  });

  it('refuses plain-http pushes in production', () => {
    expect(() =>
      loadDistrictsConfig({
        ...env,
        NODE_ENV: 'production',
        EXCHANGE_LOG_SIGNING_KEY_FILE: '/run/umg-exchange-log/exchange-log.key.pem',
        SECRETS_KEY: 'a-production-secrets-key-0123456789abcdef',
        ...productionKafka,
      }),
    ).toThrow(/PUSH_HTTP_HOSTS/);
  });
});
