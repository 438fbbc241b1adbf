import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The payment requests payments announced for our applications (their `pending` event): a paid or
 * expired outcome moves an application only when it matches one of them (review F5).
 */
export class PaymentRequests1768100000000 implements MigrationInterface {
  name = 'PaymentRequests1768100000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE applications.payment_request (
        payment_request_id uuid PRIMARY KEY,
        application_id uuid NOT NULL REFERENCES applications.application (id),
        district_code text NOT NULL,
        amount_minor bigint NOT NULL,
        currency text NOT NULL,
        announced_at timestamptz NOT NULL DEFAULT now()
      )`);
    await runner.query(`CREATE INDEX payment_request_application ON applications.payment_request (application_id)`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE applications.payment_request`);
  }
}
