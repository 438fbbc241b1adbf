import type { MigrationInterface, QueryRunner } from 'typeorm';
import { messagingTablesDown, messagingTablesUp } from '@umg/messaging';

const schema = 'payments';

export class InitialSchema1764220000000 implements MigrationInterface {
  name = 'InitialSchema1764220000000';

  async up(runner: QueryRunner): Promise<void> {
    for (const statement of messagingTablesUp(schema)) await runner.query(statement);
  }

  async down(runner: QueryRunner): Promise<void> {
    for (const statement of messagingTablesDown(schema)) await runner.query(statement);
  }
}
