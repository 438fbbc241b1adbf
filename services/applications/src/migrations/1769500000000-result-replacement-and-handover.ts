import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A result e-delivery refused is kept but marked superseded by its replacement; a result
 * collected at the desk records its handover (who, when, to whom: personal data, like the
 * applicant's); operators find applications by registration number and portal reference in any
 * district, ignoring case.
 */
export class ResultReplacementAndHandover1769500000000 implements MigrationInterface {
  name = 'ResultReplacementAndHandover1769500000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE applications.document
      ADD COLUMN superseded_at timestamptz,
      ADD COLUMN superseded_by uuid REFERENCES applications.document (id)`);
    await runner.query(`ALTER TABLE applications.application ADD COLUMN handover jsonb`);
    await runner.query(
      `CREATE INDEX application_registration_number_search ON applications.application (lower(registration_number))
        WHERE registration_number IS NOT NULL`,
    );
    await runner.query(
      `CREATE INDEX application_portal_id_search ON applications.application (lower(portal_application_id))`,
    );
    await runner.query(`CREATE INDEX application_newest ON applications.application (received_at DESC, id DESC)`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP INDEX applications.application_newest`);
    await runner.query(`DROP INDEX applications.application_portal_id_search`);
    await runner.query(`DROP INDEX applications.application_registration_number_search`);
    await runner.query(`ALTER TABLE applications.application DROP COLUMN handover`);
    await runner.query(`ALTER TABLE applications.document DROP COLUMN superseded_by, DROP COLUMN superseded_at`);
  }
}
