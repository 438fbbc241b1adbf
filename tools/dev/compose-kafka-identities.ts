import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { kafkaUsers } from '@umg/messaging';
import { initKafkaBrokerTls } from '../pki/kafka-broker-tls';
import { repoRoot } from './local-system';

/**
 * `node dist/tools/dev/compose-kafka-identities.js`: the compose set's Kafka identities, on the host
 * before `docker compose up`: the broker's TLS certificate (for the name `kafka`) and a random
 * password per user in .data/kafka-compose (never committed). Each service mounts only its own.
 */
async function main(): Promise<void> {
  const dir = join(repoRoot, '.data/kafka-compose');
  await initKafkaBrokerTls(join(dir, 'tls'), ['kafka']);
  mkdirSync(join(dir, 'credentials'), { recursive: true, mode: 0o700 });
  for (const user of kafkaUsers) {
    const file = join(dir, 'credentials', `${user}.password`);
    if (!existsSync(file)) writeFileSync(file, randomBytes(24).toString('hex'), { mode: 0o600 });
  }
  console.log(`Kafka identities for compose in ${dir}`);
}

void main();
