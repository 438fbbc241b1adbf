import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Deadlines that follow the rules: the term each application runs on (and from when), the times
 * its clock stood still (returned for corrections), the once-only due-soon flag, and the working
 * days moved by government decree that every instance reads, with their audit trail.
 * Applications received before this have no stored term: their due time stays as it was.
 */
export class DeadlineClock1769300000000 implements MigrationInterface {
  name = 'DeadlineClock1769300000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      ALTER TABLE applications.application
        ADD COLUMN term_unit text CHECK (term_unit IN ('working_days', 'calendar_days', 'hours', 'immediate')),
        ADD COLUMN term_amount numeric,
        ADD COLUMN term_starts_at text CHECK (term_starts_at IN ('submission', 'payment')),
        ADD COLUMN term_started_at timestamptz,
        ADD COLUMN paused_since timestamptz,
        ADD COLUMN due_soon_at timestamptz`);
    await runner.query(`
      CREATE TABLE applications.deadline_pause (
        id bigserial PRIMARY KEY,
        application_id uuid NOT NULL REFERENCES applications.application (id),
        paused_at timestamptz NOT NULL,
        resumed_at timestamptz,
        working_ms bigint,
        CHECK ((resumed_at IS NULL) = (working_ms IS NULL))
      )`);
    await runner.query(`CREATE INDEX deadline_pause_application ON applications.deadline_pause (application_id, id)`);
    // At most one running pause per application.
    await runner.query(
      `CREATE UNIQUE INDEX deadline_pause_open ON applications.deadline_pause (application_id) WHERE resumed_at IS NULL`,
    );
    await runner.query(`
      CREATE TABLE applications.decree_day (
        id bigserial PRIMARY KEY,
        day date NOT NULL,
        kind text NOT NULL CHECK (kind IN ('working_day', 'day_off')),
        decree_reference text NOT NULL,
        note text,
        entered_by text NOT NULL,
        entered_at timestamptz NOT NULL,
        deleted_by text,
        deleted_at timestamptz,
        deletion_reason text,
        CHECK ((deleted_at IS NULL) = (deleted_by IS NULL) AND (deleted_at IS NULL) = (deletion_reason IS NULL))
      )`);
    await runner.query(
      `CREATE UNIQUE INDEX decree_day_in_force ON applications.decree_day (day) WHERE deleted_at IS NULL`,
    );
    await runner.query(`
      CREATE TABLE applications.decree_day_audit (
        id bigserial PRIMARY KEY,
        decree_day_id bigint NOT NULL REFERENCES applications.decree_day (id),
        action text NOT NULL CHECK (action IN ('entered', 'deleted')),
        actor text NOT NULL,
        at timestamptz NOT NULL,
        day date NOT NULL,
        kind text NOT NULL,
        decree_reference text NOT NULL,
        reason text,
        applications_recomputed integer NOT NULL
      )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE applications.decree_day_audit`);
    await runner.query(`DROP TABLE applications.decree_day`);
    await runner.query(`DROP TABLE applications.deadline_pause`);
    await runner.query(`
      ALTER TABLE applications.application
        DROP COLUMN term_unit, DROP COLUMN term_amount, DROP COLUMN term_starts_at,
        DROP COLUMN term_started_at, DROP COLUMN paused_since, DROP COLUMN due_soon_at`);
  }
}
