import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Requests per district in the current window, shared by every gateway instance (rate-limiter-flexible's layout). */
export class RateLimit1770680000000 implements MigrationInterface {
  name = 'RateLimit1770680000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`CREATE TABLE gateway.rate_limit (
      key varchar(255) PRIMARY KEY,
      points integer NOT NULL DEFAULT 0,
      expire bigint
    )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE gateway.rate_limit`);
  }
}
