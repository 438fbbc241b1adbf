import type { MigrationInterface, QueryRunner } from 'typeorm';
import { exchangeLogTableDown, exchangeLogTableUp } from '@umg/exchange-log';

export class ExchangeLog1764400000000 implements MigrationInterface {
  name = 'ExchangeLog1764400000000';

  async up(runner: QueryRunner): Promise<void> {
    for (const statement of exchangeLogTableUp('delivery')) await runner.query(statement);
  }

  async down(runner: QueryRunner): Promise<void> {
    for (const statement of exchangeLogTableDown('delivery')) await runner.query(statement);
  }
}
