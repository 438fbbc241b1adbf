import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Life events (issue 21): a bundle per life-event request (one per request id, so a repeated
 * request files nothing again) and one row per part, linking the part to its application once it
 * is filed. A part that waits for another has no application until the saga files it.
 */
export class LifeEventBundles1770710000000 implements MigrationInterface {
  name = 'LifeEventBundles1770710000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`CREATE TABLE applications.bundle (
      id uuid PRIMARY KEY,
      request_id text NOT NULL UNIQUE,
      life_event text NOT NULL,
      status text NOT NULL CHECK (status IN ('open', 'completed', 'failed')),
      request jsonb NOT NULL,
      created_at timestamptz NOT NULL,
      updated_at timestamptz NOT NULL,
      version integer NOT NULL DEFAULT 1)`);
    await runner.query(`CREATE TABLE applications.bundle_part (
      bundle_id uuid NOT NULL REFERENCES applications.bundle (id),
      part_key text NOT NULL,
      position integer NOT NULL,
      service_number integer NOT NULL,
      district_code text NOT NULL,
      depends_on text[] NOT NULL,
      state text NOT NULL CHECK (state IN ('waiting', 'filed', 'done', 'failed', 'cancelled')),
      application_id uuid UNIQUE REFERENCES applications.application (id),
      reason jsonb,
      updated_at timestamptz NOT NULL,
      PRIMARY KEY (bundle_id, part_key))`);
    await runner.query(`CREATE INDEX bundle_part_district ON applications.bundle_part (district_code, bundle_id)`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE applications.bundle_part`);
    await runner.query(`DROP TABLE applications.bundle`);
  }
}
