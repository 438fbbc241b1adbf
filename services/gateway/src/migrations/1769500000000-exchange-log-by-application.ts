import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The operator's page about an application lists the exchange-log records naming it: found by index, not by scanning the log. */
export class ExchangeLogByApplication1769500000000 implements MigrationInterface {
  name = 'ExchangeLogByApplication1769500000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(
      `CREATE INDEX exchange_log_application ON gateway.exchange_log (application_id, seq) WHERE application_id IS NOT NULL`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP INDEX gateway.exchange_log_application`);
  }
}
