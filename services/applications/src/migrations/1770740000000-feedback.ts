import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Feedback of applicants (issue 21, point 5): one row per result delivered through e-delivery, the
 * invitation (the link's token hash, its expiry) and, once given, the answer. The group keys
 * (district, service, life event) and the delivery time are copied at delivery, so the
 * aggregates read this table alone.
 */
export class Feedback1770740000000 implements MigrationInterface {
  name = 'Feedback1770740000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`CREATE TABLE applications.feedback (
      application_id uuid PRIMARY KEY REFERENCES applications.application (id),
      token_hash text NOT NULL UNIQUE CHECK (token_hash ~ '^[0-9a-f]{64}$'),
      district_code text NOT NULL,
      service_number integer NOT NULL,
      service_name text NOT NULL,
      life_event text,
      received_at timestamptz NOT NULL,
      delivered_at timestamptz NOT NULL,
      expires_at timestamptz NOT NULL,
      answered_at timestamptz,
      rating smallint CHECK (rating BETWEEN 1 AND 5),
      hard text[],
      comment text CHECK (char_length(comment) <= 500),
      CHECK ((answered_at IS NULL) = (rating IS NULL) AND (answered_at IS NULL) = (hard IS NULL))
    )`);
    await runner.query(
      `CREATE INDEX feedback_answered ON applications.feedback (answered_at DESC) WHERE answered_at IS NOT NULL`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE applications.feedback`);
  }
}
