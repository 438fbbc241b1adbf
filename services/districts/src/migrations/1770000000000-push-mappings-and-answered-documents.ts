import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A profile's mapping is saved with the samples it was checked against (versioned with it); a
 * result document a back office answers a push with is held here (claim check: up to 10 MiB does
 * not travel on Kafka) until the applications service takes it.
 */
export class PushMappingsAndAnsweredDocuments1770000000000 implements MigrationInterface {
  name = 'PushMappingsAndAnsweredDocuments1770000000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE districts.district ADD COLUMN mapping_samples jsonb`);
    await runner.query(`
      CREATE TABLE districts.back_office_document (
        id uuid PRIMARY KEY,
        district_code text NOT NULL REFERENCES districts.district (code),
        application_id uuid NOT NULL,
        kind text NOT NULL CHECK (kind IN ('result', 'refusal')),
        file_name text NOT NULL,
        media_type text NOT NULL,
        size integer NOT NULL CHECK (size > 0 AND size <= 10485760),
        sha256 char(64) NOT NULL,
        content bytea NOT NULL,
        back_office_reference text NOT NULL,
        received_at timestamptz NOT NULL DEFAULT now()
      )`);
    await runner.query(
      `CREATE INDEX back_office_document_application ON districts.back_office_document (application_id)`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE districts.back_office_document`);
    await runner.query(`ALTER TABLE districts.district DROP COLUMN mapping_samples`);
  }
}
