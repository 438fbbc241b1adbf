import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The real pay-egov contract: each district is its own payee (bank details and, optionally, a
 * payment-system client of its own, sealed) as the districts registry publishes it; requests
 * remember the client that created them and the applicant's access code; calls to the payment
 * system are bounded (given up after their attempts, held while our credentials are refused);
 * unsigned notifications are only hints that a status query confirms.
 */
export class PayEgovContract1765000000000 implements MigrationInterface {
  name = 'PayEgovContract1765000000000';

  async up(runner: QueryRunner): Promise<void> {
    const statements = [
      `ALTER TABLE payments.district_bank_account RENAME TO district_payee`,
      // Seeded accounts are placeholders until the registry publishes the district's real ones.
      `ALTER TABLE payments.district_payee
         ADD COLUMN placeholder boolean NOT NULL DEFAULT true,
         ADD COLUMN payment_system_client_id text,
         ADD COLUMN registry_version integer NOT NULL DEFAULT 0,
         ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now()`,
      // One row per client id in use. sealed_secret NULL: the municipality's client, whose
      // secret is configuration. unauthorized_at: the payment system answered 401 for it.
      `CREATE TABLE payments.payment_system_client (
         client_id text PRIMARY KEY,
         sealed_secret text,
         unauthorized_at timestamptz,
         unauthorized_detail text,
         updated_at timestamptz NOT NULL DEFAULT now()
       )`,
      `ALTER TABLE payments.payment_request
         ADD COLUMN payment_system_client_id text,
         ADD COLUMN access_code text,
         ADD COLUMN problem jsonb`,
      `ALTER TABLE payments.outbound_call DROP CONSTRAINT outbound_call_kind_check`,
      `ALTER TABLE payments.outbound_call ADD CONSTRAINT outbound_call_kind_check
         CHECK (kind IN ('create', 'suspend', 'access_code', 'set_paid', 'confirm'))`,
      `ALTER TABLE payments.outbound_call
         ADD COLUMN payload jsonb,
         ADD COLUMN gave_up boolean NOT NULL DEFAULT false`,
      `ALTER TABLE payments.payment_status_report DROP CONSTRAINT payment_status_report_source_check`,
      `ALTER TABLE payments.payment_status_report ADD CONSTRAINT payment_status_report_source_check
         CHECK (source IN ('receipt', 'notification', 'unverified_notification', 'confirmation', 'reconciliation', 'suspension', 'desk'))`,
      `ALTER TABLE payments.payment_status_report ALTER COLUMN change_time DROP NOT NULL`,
    ];
    for (const statement of statements) await runner.query(statement);
  }

  async down(runner: QueryRunner): Promise<void> {
    const statements = [
      `ALTER TABLE payments.payment_status_report DROP CONSTRAINT payment_status_report_source_check`,
      `ALTER TABLE payments.payment_status_report ADD CONSTRAINT payment_status_report_source_check
         CHECK (source IN ('receipt', 'notification', 'reconciliation', 'suspension'))`,
      `ALTER TABLE payments.outbound_call DROP COLUMN payload, DROP COLUMN gave_up`,
      `ALTER TABLE payments.outbound_call DROP CONSTRAINT outbound_call_kind_check`,
      `ALTER TABLE payments.outbound_call ADD CONSTRAINT outbound_call_kind_check CHECK (kind IN ('create', 'suspend'))`,
      `ALTER TABLE payments.payment_request DROP COLUMN payment_system_client_id, DROP COLUMN access_code, DROP COLUMN problem`,
      `DROP TABLE payments.payment_system_client`,
      `ALTER TABLE payments.district_payee DROP COLUMN placeholder, DROP COLUMN payment_system_client_id,
         DROP COLUMN registry_version, DROP COLUMN updated_at`,
      `ALTER TABLE payments.district_payee RENAME TO district_bank_account`,
    ];
    for (const statement of statements) await runner.query(statement);
  }
}
