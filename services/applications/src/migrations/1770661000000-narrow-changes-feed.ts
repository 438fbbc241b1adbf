import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The changes feed's positions in a narrow table of their own, written by the commit-time trigger
 * (issue 19). The trigger used to UPDATE the timeline entry it had just inserted to set its
 * position: a second version of that row and, the position being indexed, a new entry in each of
 * the timeline's four indexes, for every transition. Now it inserts one row of three columns
 * (one index). The ordering argument of ApplicationChanges1770200000000 is unchanged: the position
 * is still taken under the district head's row lock at commit. No foreign key to the entry: the
 * only writer is this trigger, with the entry it fires for, and a key check would cost a lookup
 * per transition.
 */
export class NarrowChangesFeed1770661000000 implements MigrationInterface {
  name = 'NarrowChangesFeed1770661000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`CREATE TABLE applications.application_change (
      district_code text NOT NULL,
      position bigint NOT NULL,
      event_id bigint NOT NULL,
      PRIMARY KEY (district_code, position)
    )`);
    await runner.query(`INSERT INTO applications.application_change (district_code, position, event_id)
      SELECT district_code, change_position, id FROM applications.application_event WHERE change_position IS NOT NULL`);
    await runner.query(`CREATE OR REPLACE FUNCTION applications.assign_change_position() RETURNS trigger
      LANGUAGE plpgsql AS $$
      BEGIN
        WITH head AS (
          INSERT INTO applications.district_change_head AS head (district_code, position)
            VALUES (NEW.district_code, 1)
            ON CONFLICT (district_code) DO UPDATE SET position = head.position + 1
            RETURNING head.position)
        INSERT INTO applications.application_change (district_code, position, event_id)
          SELECT NEW.district_code, position, NEW.id FROM head;
        PERFORM pg_notify('application_changes', NEW.district_code);
        RETURN NULL;
      END $$`);
    await runner.query(`DROP INDEX applications.application_event_district_change`);
    await runner.query(`ALTER TABLE applications.application_event DROP COLUMN change_position`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE applications.application_event ADD COLUMN change_position bigint`);
    await runner.query(`UPDATE applications.application_event e SET change_position = c.position
      FROM applications.application_change c WHERE c.event_id = e.id`);
    await runner.query(`CREATE UNIQUE INDEX application_event_district_change
      ON applications.application_event (district_code, change_position)`);
    await runner.query(`CREATE OR REPLACE FUNCTION applications.assign_change_position() RETURNS trigger
      LANGUAGE plpgsql AS $$
      DECLARE
        next_position bigint;
      BEGIN
        INSERT INTO applications.district_change_head AS head (district_code, position)
          VALUES (NEW.district_code, 1)
          ON CONFLICT (district_code) DO UPDATE SET position = head.position + 1
          RETURNING head.position INTO next_position;
        UPDATE applications.application_event SET change_position = next_position WHERE id = NEW.id;
        PERFORM pg_notify('application_changes', NEW.district_code);
        RETURN NULL;
      END $$`);
    await runner.query(`DROP TABLE applications.application_change`);
  }
}
