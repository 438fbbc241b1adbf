import { Kafka, type KafkaConfig, logLevel, type LogEntry } from 'kafkajs';
import type { Logger } from '@umg/logging';

/**
 * Where a client connects and who it is: the brokers, the CA their TLS certificates chain to, and
 * the SCRAM-SHA-512 identity. Without `tls` and `sasl` the connection is plaintext and anonymous,
 * which only a broker on this machine outside production accepts (config refuses it in production).
 */
export interface KafkaConnection {
  brokers: string[];
  /** TLS to the brokers, verified against this CA (PEM). */
  tls?: { ca: string };
  sasl?: { username: string; password: string };
}

/** The kafkajs settings of a connection, for the few places (tools, tests) that build kafkajs objects. */
export function kafkaClientOptions(connection: KafkaConnection): Pick<KafkaConfig, 'brokers' | 'ssl' | 'sasl'> {
  return {
    brokers: connection.brokers,
    ...(connection.tls ? { ssl: { ca: [connection.tls.ca] } } : {}),
    ...(connection.sasl
      ? { sasl: { mechanism: 'scram-sha-512', username: connection.sasl.username, password: connection.sasl.password } }
      : {}),
  };
}

/**
 * The one place that constructs kafkajs objects. kafkajs is no longer actively maintained, so the
 * rest of the code depends on our small wrappers, not on it.
 */
export function createKafka(connection: KafkaConnection, clientId: string, logger: Logger): Kafka {
  const kafkaLogger = logger.child({ component: 'kafkajs' });
  return new Kafka({
    clientId,
    ...kafkaClientOptions(connection),
    connectionTimeout: 3_000,
    // SCRAM's handshake takes a few round trips more than a plaintext connection.
    authenticationTimeout: 10_000,
    requestTimeout: 25_000,
    // Retries are bounded here; the callers (relay, consumer) own the outer retry loops.
    retry: { initialRetryTime: 300, retries: 8, maxRetryTime: 5_000 },
    logLevel: logLevel.WARN,
    logCreator:
      () =>
      ({ level, log }: LogEntry) => {
        const { message, ...extra } = log;
        if (level === logLevel.ERROR) kafkaLogger.error(extra, message);
        else if (level === logLevel.WARN) kafkaLogger.warn(extra, message);
        else kafkaLogger.debug(extra, message);
      },
  });
}
