import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The changes feed of pull districts: every timeline entry gets a position in its district's
 * feed. The position is taken at commit (a deferred trigger upserting the district's head row),
 * so the head's row lock orders positions exactly as the entries become visible: a reader going
 * by `position > cursor` can never skip an entry of a transaction that commits late (a bigserial
 * can). Taking it last also holds that lock only for the commit itself and after every other lock
 * of the transaction, so it cannot deadlock. The commit NOTIFYs `application_changes` with the
 * district code to wake long-polls.
 */
export class ApplicationChanges1770200000000 implements MigrationInterface {
  name = 'ApplicationChanges1770200000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`CREATE TABLE applications.district_change_head (
      district_code text PRIMARY KEY,
      position bigint NOT NULL
    )`);
    await runner.query(`ALTER TABLE applications.application_event
      ADD COLUMN district_code text,
      ADD COLUMN change_position bigint`);
    // Entries written before the feed existed, numbered in the order they were written.
    await runner.query(`WITH numbered AS (
        SELECT e.id, a.district_code,
               row_number() OVER (PARTITION BY a.district_code ORDER BY e.id) AS position
        FROM applications.application_event e JOIN applications.application a ON a.id = e.application_id)
      UPDATE applications.application_event e
      SET district_code = numbered.district_code, change_position = numbered.position
      FROM numbered WHERE e.id = numbered.id`);
    await runner.query(`INSERT INTO applications.district_change_head (district_code, position)
      SELECT district_code, max(change_position) FROM applications.application_event GROUP BY district_code`);
    await runner.query(`ALTER TABLE applications.application_event ALTER COLUMN district_code SET NOT NULL`);
    await runner.query(`CREATE UNIQUE INDEX application_event_district_change
      ON applications.application_event (district_code, change_position)`);
    await runner.query(`CREATE FUNCTION applications.assign_change_position() RETURNS trigger
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
    await runner.query(`CREATE CONSTRAINT TRIGGER application_event_change_position
      AFTER INSERT ON applications.application_event
      DEFERRABLE INITIALLY DEFERRED
      FOR EACH ROW EXECUTE FUNCTION applications.assign_change_position()`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TRIGGER application_event_change_position ON applications.application_event`);
    await runner.query(`DROP FUNCTION applications.assign_change_position()`);
    await runner.query(`DROP INDEX applications.application_event_district_change`);
    await runner.query(
      `ALTER TABLE applications.application_event DROP COLUMN change_position, DROP COLUMN district_code`,
    );
    await runner.query(`DROP TABLE applications.district_change_head`);
  }
}
