import { districts } from '@umg/catalogue';
import { kafkaClientOptions, type KafkaConnection, type KafkaUser } from '@umg/messaging';
import { localKafkaConnection } from '../../tools/dev/kafka-identities';

/** Where the system under test runs; set by tools/test/run-tests.ts. */
export const testEnv = {
  gatewayUrl: required('TEST_GATEWAY_URL'),
  kafkaBrokers: required('TEST_KAFKA_BROKERS').split(','),
  databaseUrl: required('TEST_DATABASE_URL'),
  kafkaPort: required('TEST_KAFKA_PORT'),
  kafkaDataDir: required('TEST_KAFKA_DATA_DIR'),
  paymentsUrl: required('TEST_PAYMENTS_URL'),
  paymentSystemUrl: required('TEST_PAYMENT_SYSTEM_URL'),
  deliveryUrl: required('TEST_DELIVERY_URL'),
  eDeliveryUrl: required('TEST_E_DELIVERY_URL'),
  /** The public callback listeners: the only ports of payments and districts the outside reaches. */
  paymentsCallbackUrl: required('TEST_PAYMENTS_CALLBACK_URL'),
  districtsCallbackUrl: required('TEST_DISTRICTS_CALLBACK_URL'),
  /**
   * A Kafka identity of the test run's broker: the portal where a test plays the portal, the admin
   * (super user) where it inspects topics as an operator would.
   */
  kafkaAs(user: KafkaUser): KafkaConnection {
    return localKafkaConnection({ dir: this.kafkaDataDir, brokers: this.kafkaBrokers }, user);
  },
  /** The same, as kafkajs settings (`new Kafka({ ...testEnv.kafkaClient('admin'), … })`). */
  kafkaClient(user: KafkaUser) {
    return kafkaClientOptions(this.kafkaAs(user));
  },
};

/** A service's management port (`/metrics`, readiness with its checks). */
export function managementUrl(service: 'gateway' | 'applications' | 'payments' | 'delivery' | 'districts'): string {
  return required(`TEST_${service.toUpperCase()}_MANAGEMENT_URL`);
}

/** The development credential of every district in the test run (see tools/test/run-tests.ts). */
export const districtKeys: Record<string, string> = Object.fromEntries(
  districts.map((district) => [district.code, `test-key-${district.code}-0001`]),
);

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the tests with "npm test"`);
  return value;
}
