/** Where the system under test runs; set by tools/test/run-tests.ts. */
export const testEnv = {
  gatewayUrl: required('TEST_GATEWAY_URL'),
  kafkaBrokers: required('TEST_KAFKA_BROKERS').split(','),
  databaseUrl: required('TEST_DATABASE_URL'),
  kafkaPort: required('TEST_KAFKA_PORT'),
  kafkaDataDir: required('TEST_KAFKA_DATA_DIR'),
  deliveryUrl: required('TEST_DELIVERY_URL'),
  eDeliveryUrl: required('TEST_E_DELIVERY_URL'),
};

export const districtKeys: Record<string, string> = {
  serdika: 'test-key-serdika-0001',
  triaditsa: 'test-key-triaditsa-0001',
  nadezhda: 'test-key-nadezhda-0001',
  bankya: 'test-key-bankya-0001',
};

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the tests with "npm test"`);
  return value;
}
