import { join } from 'node:path';

/** Where the system under attack listens, and what the attacker holds; from the environment. */
export interface AttackSettings {
  gatewayUrl: string;
  applicationsUrl: string;
  districtsUrl: string;
  paymentsUrl: string;
  deliveryUrl: string;
  /**
   * A PKI folder whose service keys the attacker holds (as after a pod compromise, or in the test
   * run): proves a delivery token is refused on gateway routes, expiry, and the controls behind
   * the gateway's identity (F7, credentialsRef). Those lines are not run without it.
   */
  pkiDir?: string;
  /** The callback listeners published for the state systems and back offices. */
  paymentsCallbackUrl: string;
  districtsCallbackUrl: string;
  /** The gateway's internet-facing mutual TLS listener. */
  gatewayTlsUrl: string;
  kafkaBrokers: string[];
  /**
   * The local broker's data dir: its CA (tls/ca.cert.pem) and the identities' passwords
   * (credentials/): the attacker who stole one legitimate identity, and holds the wrong one for the topic.
   */
  kafkaDataDir: string;
  /** A district credential with write scope: the review's F3 needs no more than that. */
  districtApiKey: string;
  /** An operator account for the event-stream check (optional). */
  operator?: { username: string; password: string };
  /** Source address for the sign-in sprays, so the lock lands on the attacker's address only. */
  sourceAddress?: string;
  /** The gateway's compiled entry point, started with unsafe settings to see it refuse. */
  gatewayEntry: string;
  databaseUrl: string;
}

export function attackSettings(env: Record<string, string | undefined> = process.env): AttackSettings {
  const operator =
    env.ATTACK_OPERATOR_USERNAME && env.ATTACK_OPERATOR_PASSWORD
      ? { username: env.ATTACK_OPERATOR_USERNAME, password: env.ATTACK_OPERATOR_PASSWORD }
      : undefined;
  return {
    gatewayUrl: env.ATTACK_GATEWAY_URL ?? 'http://127.0.0.1:3000',
    applicationsUrl: env.ATTACK_APPLICATIONS_URL ?? 'http://127.0.0.1:3101',
    districtsUrl: env.ATTACK_DISTRICTS_URL ?? 'http://127.0.0.1:3104',
    paymentsUrl: env.ATTACK_PAYMENTS_URL ?? 'http://127.0.0.1:3102',
    deliveryUrl: env.ATTACK_DELIVERY_URL ?? 'http://127.0.0.1:3103',
    pkiDir: env.ATTACK_PKI_DIR,
    paymentsCallbackUrl: env.ATTACK_PAYMENTS_CALLBACK_URL ?? 'http://127.0.0.1:3122',
    districtsCallbackUrl: env.ATTACK_DISTRICTS_CALLBACK_URL ?? 'http://127.0.0.1:3124',
    gatewayTlsUrl: env.ATTACK_GATEWAY_TLS_URL ?? 'https://127.0.0.1:3443',
    kafkaBrokers: (env.ATTACK_KAFKA_BROKERS ?? '127.0.0.1:9092').split(','),
    kafkaDataDir: env.ATTACK_KAFKA_DATA_DIR ?? join(__dirname, '../../../.data/kafka-9092'),
    districtApiKey: env.ATTACK_DISTRICT_API_KEY ?? 'dev-key-serdika-0000',
    operator,
    sourceAddress: env.ATTACK_SOURCE_ADDRESS,
    gatewayEntry: env.ATTACK_GATEWAY_ENTRY ?? join(__dirname, '../../services/gateway/src/main.js'),
    databaseUrl: env.ATTACK_DATABASE_URL ?? env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/umg',
  };
}
