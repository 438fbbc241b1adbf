import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Fees become dated changes instead of one row per fee: each change takes effect at its
 * `effective_from`, names who made it and why, and a scheduled one can be cancelled before then.
 * The fee in force is the latest change in effect (docs/fees.md). The fees seeded so far become
 * the catalogue's changes, in force from now.
 */
export class FeeChanges1769400000000 implements MigrationInterface {
  name = 'FeeChanges1769400000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`CREATE TABLE payments.fee_change (
      id uuid PRIMARY KEY,
      service_number integer NOT NULL,
      urgency text NOT NULL CHECK (urgency IN ('regular', 'fast', 'express')),
      district_code text NOT NULL,
      amount_minor integer NOT NULL CHECK (amount_minor > 0),
      currency text NOT NULL CHECK (currency IN ('EUR', 'BGN')),
      effective_from timestamptz NOT NULL,
      origin text NOT NULL CHECK (origin IN ('catalogue', 'operator')),
      changed_by text NOT NULL,
      reason text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      cancelled_at timestamptz,
      cancelled_by text,
      cancel_reason text,
      CHECK ((cancelled_at IS NULL) = (cancelled_by IS NULL) AND (cancelled_at IS NULL) = (cancel_reason IS NULL))
    )`);
    await runner.query(
      `CREATE INDEX fee_change_in_force ON payments.fee_change (service_number, urgency, district_code, effective_from DESC)
        WHERE cancelled_at IS NULL`,
    );
    await runner.query(
      `INSERT INTO payments.fee_change
         (id, service_number, urgency, district_code, amount_minor, currency, effective_from, origin, changed_by, reason)
       SELECT gen_random_uuid(), service_number, urgency, district_code, amount_minor, currency, now(),
              'catalogue', 'catalogue', 'fee schedule before effective dating'
         FROM payments.fee`,
    );
    await runner.query(`DROP TABLE payments.fee`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`CREATE TABLE payments.fee (
      service_number integer NOT NULL,
      urgency text NOT NULL CHECK (urgency IN ('regular', 'fast', 'express')),
      district_code text NOT NULL DEFAULT '*',
      amount_minor integer NOT NULL CHECK (amount_minor > 0),
      currency text NOT NULL CHECK (currency IN ('EUR', 'BGN')),
      PRIMARY KEY (service_number, urgency, district_code)
    )`);
    await runner.query(
      `INSERT INTO payments.fee (service_number, urgency, district_code, amount_minor, currency)
       SELECT DISTINCT ON (service_number, urgency, district_code) service_number, urgency, district_code, amount_minor, currency
         FROM payments.fee_change
        WHERE cancelled_at IS NULL AND effective_from <= now()
        ORDER BY service_number, urgency, district_code, effective_from DESC, created_at DESC`,
    );
    await runner.query(`DROP TABLE payments.fee_change`);
  }
}
