import type { MigrationInterface, QueryRunner } from 'typeorm';

export class DocumentsAndRegistration1764230000000 implements MigrationInterface {
  name = 'DocumentsAndRegistration1764230000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`CREATE TABLE applications.document (
      id uuid PRIMARY KEY,
      application_id uuid NOT NULL REFERENCES applications.application (id),
      kind text NOT NULL,
      file_name text NOT NULL,
      media_type text NOT NULL,
      size integer NOT NULL,
      sha256 text NOT NULL,
      content bytea NOT NULL,
      created_at timestamptz NOT NULL
    )`);
    await runner.query(`CREATE INDEX document_application ON applications.document (application_id)`);
    // A district's registration numbers identify its cases: one number, one application.
    await runner.query(
      `CREATE UNIQUE INDEX application_registration_number ON applications.application (district_code, registration_number)
       WHERE registration_number IS NOT NULL`,
    );
    // The overdue check scans only open applications past their due time that were not flagged yet.
    await runner.query(
      `CREATE INDEX application_due ON applications.application (due_at) WHERE overdue_at IS NULL AND due_at IS NOT NULL`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP INDEX applications.application_due`);
    await runner.query(`DROP INDEX applications.application_registration_number`);
    await runner.query(`DROP TABLE applications.document`);
  }
}
