import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { KafkaConnection, KafkaUser } from '@umg/messaging';

/** What a local broker needs to be found: the harness's layout, or a test run's settings. */
export interface LocalBroker {
  /** The broker's data dir (`<dataDir>/kafka-<port>`), where kafka.sh keeps its TLS material and passwords. */
  dir: string;
  brokers: string[];
}

function files(broker: LocalBroker, user: KafkaUser) {
  return { password: join(broker.dir, 'credentials', `${user}.password`), ca: join(broker.dir, 'tls', 'ca.cert.pem') };
}

/**
 * Whether the broker was started with identities (kafka.sh makes them on its first start). A
 * cluster named by KAFKA_BROKERS has none here: its clients take KAFKA_SASL_* from the environment.
 */
export function hasIdentities(broker: LocalBroker): boolean {
  return existsSync(files(broker, 'admin').password);
}

/** The connection of one identity to a local broker: TLS against its CA, SCRAM with its password. */
export function localKafkaConnection(broker: LocalBroker, user: KafkaUser): KafkaConnection {
  if (!hasIdentities(broker)) return { brokers: broker.brokers };
  const { password, ca } = files(broker, user);
  return {
    brokers: broker.brokers,
    tls: { ca: readFileSync(ca, 'utf8') },
    sasl: { username: user, password: readFileSync(password, 'utf8').trim() },
  };
}

/** The settings a service process gets to connect as `user` (it reads the files itself, as in production). */
export function kafkaIdentityEnv(broker: LocalBroker, user: KafkaUser): Record<string, string> {
  if (!hasIdentities(broker)) return {};
  const { password, ca } = files(broker, user);
  return { KAFKA_SASL_USERNAME: user, KAFKA_SASL_PASSWORD_FILE: password, KAFKA_SSL_CA_FILE: ca };
}
