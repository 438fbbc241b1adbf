import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Status changes as HOT updates (issue 19). A transition writes status, version, last_sequence and
 * updated_at; only `status` was in an index (application_district_status), so every transition
 * wrote a new entry in all nine indexes. Its one user, a district's list filtered by statuses, now
 * goes by a partial index of the open applications, keyed by a stored flag that changes once in a
 * lifecycle (when the application closes), not with every status. PostgreSQL keeps an update HOT
 * when no indexed column's value changes and the page has room: the fillfactor leaves that room
 * for the ≈ 7 versions a lifecycle writes (pruned on the page as they die).
 * The list of closed statuses is deadline-state.ts's `closedStatuses`.
 */
export class HotApplicationUpdates1770660000000 implements MigrationInterface {
  name = 'HotApplicationUpdates1770660000000';

  async up(runner: QueryRunner): Promise<void> {
    // Before the column: adding a stored column rewrites the table, now with the new fillfactor.
    await runner.query(`ALTER TABLE applications.application SET (fillfactor = 80)`);
    await runner.query(`ALTER TABLE applications.application ADD COLUMN is_open boolean NOT NULL
      GENERATED ALWAYS AS (status NOT IN ('delivered', 'refused', 'withdrawn', 'awaiting_collection', 'handed_over',
        'expired_unpaid')) STORED`);
    await runner.query(`DROP INDEX applications.application_district_status`);
    await runner.query(`CREATE INDEX application_district_open
      ON applications.application (district_code, received_at, id) WHERE is_open`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP INDEX applications.application_district_open`);
    await runner.query(`CREATE INDEX application_district_status ON applications.application (district_code, status)`);
    await runner.query(`ALTER TABLE applications.application DROP COLUMN is_open`);
    await runner.query(`ALTER TABLE applications.application RESET (fillfactor)`);
  }
}
