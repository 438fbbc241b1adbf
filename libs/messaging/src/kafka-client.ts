import { Kafka, logLevel, type LogEntry } from 'kafkajs';
import type { Logger } from '@umg/logging';

/**
 * The one place that constructs kafkajs objects. kafkajs is no longer actively maintained, so the
 * rest of the code depends on our small wrappers, not on it.
 */
export function createKafka(brokers: string[], clientId: string, logger: Logger): Kafka {
  const kafkaLogger = logger.child({ component: 'kafkajs' });
  return new Kafka({
    clientId,
    brokers,
    connectionTimeout: 3_000,
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
