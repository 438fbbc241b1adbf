import type { MigrationInterface, QueryRunner } from 'typeorm';
import { exchangeLogSignedDown, exchangeLogSignedUp } from '@umg/exchange-log';

/**
 * Records signed with the service's own key and naming what they concern. Records written before
 * stay as they were (no signature): the first signed record links to the last of them, which pins them.
 */
export class ExchangeLogSigned1768500000000 implements MigrationInterface {
  name = 'ExchangeLogSigned1768500000000';

  async up(runner: QueryRunner): Promise<void> {
    for (const statement of exchangeLogSignedUp('gateway')) await runner.query(statement);
  }

  async down(runner: QueryRunner): Promise<void> {
    for (const statement of exchangeLogSignedDown('gateway')) await runner.query(statement);
  }
}
