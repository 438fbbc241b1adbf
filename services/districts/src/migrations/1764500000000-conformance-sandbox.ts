import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Conformance runs that wait: a pull district's sandbox runs until its client finishes or time runs out. */
export class ConformanceSandbox1764500000000 implements MigrationInterface {
  name = 'ConformanceSandbox1764500000000';

  async up(runner: QueryRunner): Promise<void> {
    const statements = [
      `ALTER TABLE districts.conformance_run ADD COLUMN status text`,
      `UPDATE districts.conformance_run SET status = CASE WHEN passed THEN 'passed' ELSE 'failed' END`,
      `ALTER TABLE districts.conformance_run ALTER COLUMN status SET NOT NULL`,
      `ALTER TABLE districts.conformance_run ADD CONSTRAINT conformance_run_status CHECK (status IN ('running', 'passed', 'failed'))`,
      `ALTER TABLE districts.conformance_run ALTER COLUMN finished_at DROP NOT NULL`,
      `ALTER TABLE districts.conformance_run ADD COLUMN expires_at timestamptz`,
      `ALTER TABLE districts.conformance_run ADD COLUMN sandbox_application_id uuid`,
      `CREATE INDEX conformance_run_running ON districts.conformance_run (expires_at) WHERE status = 'running'`,
    ];
    for (const statement of statements) await runner.query(statement);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DELETE FROM districts.conformance_run WHERE status = 'running'`);
    for (const column of ['status', 'expires_at', 'sandbox_application_id']) {
      await runner.query(`ALTER TABLE districts.conformance_run DROP COLUMN ${column}`);
    }
    await runner.query(`ALTER TABLE districts.conformance_run ALTER COLUMN finished_at SET NOT NULL`);
  }
}
