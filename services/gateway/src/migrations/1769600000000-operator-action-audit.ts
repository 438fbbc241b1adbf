import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Every change an operator makes through the operator API, whoever's service carries it out. */
export class OperatorActionAudit1769600000000 implements MigrationInterface {
  name = 'OperatorActionAudit1769600000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`CREATE TABLE gateway.operator_action (
      id bigserial PRIMARY KEY,
      at timestamptz NOT NULL DEFAULT now(),
      operator text NOT NULL,
      role text NOT NULL,
      method text NOT NULL,
      route text NOT NULL,
      path text NOT NULL,
      district_code text,
      parameters jsonb NOT NULL,
      request jsonb,
      status integer NOT NULL,
      problem_code text
    )`);
    await runner.query(`CREATE INDEX operator_action_district ON gateway.operator_action (district_code, id)`);
    await runner.query(`CREATE INDEX operator_action_operator ON gateway.operator_action (operator, id)`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE gateway.operator_action`);
  }
}
