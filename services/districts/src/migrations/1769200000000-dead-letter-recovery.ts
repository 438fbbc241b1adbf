import type { MigrationInterface, QueryRunner } from 'typeorm';
import { deadLetterRecoveryDown, deadLetterRecoveryUp } from '@umg/messaging';

/** Dead letters an operator can replay or discard (who, when, why), and inbox rows that say a message was dead-lettered. */
export class DeadLetterRecovery1769200000000 implements MigrationInterface {
  name = 'DeadLetterRecovery1769200000000';

  async up(runner: QueryRunner): Promise<void> {
    for (const statement of deadLetterRecoveryUp('districts')) await runner.query(statement);
  }

  async down(runner: QueryRunner): Promise<void> {
    for (const statement of deadLetterRecoveryDown('districts')) await runner.query(statement);
  }
}
