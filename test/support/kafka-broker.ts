import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { testEnv } from './test-env';

/** Controls the test run's own broker (kill -9, start), for outage tests. */
export function brokerCommand(command: 'kill9' | 'start' | 'stop' | 'pause' | 'resume'): void {
  execFileSync(join(__dirname, '../../deploy/kafka/kafka.sh'), [command], {
    stdio: 'inherit',
    env: { ...process.env, KAFKA_PORT: testEnv.kafkaPort, KAFKA_DATA_DIR: testEnv.kafkaDataDir },
  });
}
