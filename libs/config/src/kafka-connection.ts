import { readFileSync } from 'node:fs';
import { ConfigError } from './config-error';

/**
 * The Kafka connection a service's config describes (the shape of @umg/messaging's KafkaConnection):
 * the password and the CA read from their files once, at boot, so a missing secret stops the boot.
 */
export function kafkaConnection(config: {
  KAFKA_BROKERS: string[];
  KAFKA_SASL_USERNAME?: string;
  KAFKA_SASL_PASSWORD_FILE?: string;
  KAFKA_SSL_CA_FILE?: string;
}): { brokers: string[]; tls?: { ca: string }; sasl?: { username: string; password: string } } {
  const problems: string[] = [];
  if (Boolean(config.KAFKA_SASL_USERNAME) !== Boolean(config.KAFKA_SASL_PASSWORD_FILE)) {
    problems.push('KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD_FILE: set both or neither');
  }
  const read = (name: string, file: string | undefined) => {
    if (!file) return undefined;
    try {
      const text = readFileSync(file, 'utf8').trim();
      if (text) return text;
      problems.push(`${name}: ${file} is empty`);
    } catch (error) {
      problems.push(`${name}: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
    }
    return undefined;
  };
  const password = read('KAFKA_SASL_PASSWORD_FILE', config.KAFKA_SASL_PASSWORD_FILE);
  const ca = read('KAFKA_SSL_CA_FILE', config.KAFKA_SSL_CA_FILE);
  if (problems.length > 0) throw new ConfigError(problems);
  return {
    brokers: config.KAFKA_BROKERS,
    ...(ca ? { tls: { ca } } : {}),
    ...(config.KAFKA_SASL_USERNAME && password ? { sasl: { username: config.KAFKA_SASL_USERNAME, password } } : {}),
  };
}
