import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The sequence of an application's latest timeline entry, kept on the application: a transition
 * takes the next one in the same UPDATE that bumps the version, instead of reading
 * `max(sequence)` of the timeline. A new application comes with its first entry (received, 1).
 */
export class TimelineSequenceCounter1770610000000 implements MigrationInterface {
  name = 'TimelineSequenceCounter1770610000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE applications.application ADD COLUMN last_sequence integer NOT NULL DEFAULT 1`);
    await runner.query(`UPDATE applications.application a SET last_sequence = timeline.last
      FROM (SELECT application_id, max(sequence) AS last FROM applications.application_event GROUP BY application_id) timeline
      WHERE timeline.application_id = a.id AND a.last_sequence <> timeline.last`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE applications.application DROP COLUMN last_sequence`);
  }
}
