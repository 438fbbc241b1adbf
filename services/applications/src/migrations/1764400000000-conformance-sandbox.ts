import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Sandbox applications of pull districts' conformance runs: real rows, marked by their run. */
export class ConformanceSandbox1764400000000 implements MigrationInterface {
  name = 'ConformanceSandbox1764400000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE applications.application ADD COLUMN conformance_run_id integer`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE applications.application DROP COLUMN conformance_run_id`);
  }
}
