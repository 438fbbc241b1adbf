import type { MigrationInterface, QueryRunner } from 'typeorm';
import { catalogueServices } from '@umg/catalogue';
import { seedDistrictBankAccounts } from '../fees/district-bank-accounts';

/** Fee schedule, the districts' accounts, payment requests, what the payment system reported, and the outbound queue. */
export class PaymentRequests1764300000000 implements MigrationInterface {
  name = 'PaymentRequests1764300000000';

  async up(runner: QueryRunner): Promise<void> {
    // district_code '*' is the fee every district charges unless it has a row of its own.
    await runner.query(`CREATE TABLE payments.fee (
      service_number integer NOT NULL,
      urgency text NOT NULL CHECK (urgency IN ('regular', 'fast', 'express')),
      district_code text NOT NULL DEFAULT '*',
      amount_minor integer NOT NULL CHECK (amount_minor > 0),
      currency text NOT NULL CHECK (currency IN ('EUR', 'BGN')),
      PRIMARY KEY (service_number, urgency, district_code)
    )`);
    const fees = catalogueServices.flatMap((service) =>
      service.urgencies
        .filter((urgency) => urgency.fee !== null && urgency.fee.amountMinor > 0)
        .map((urgency) => [service.serviceNumber, urgency.urgency, urgency.fee!.amountMinor, urgency.fee!.currency]),
    );
    for (const fee of fees) {
      await runner.query(
        `INSERT INTO payments.fee (service_number, urgency, amount_minor, currency) VALUES ($1, $2, $3, $4)`,
        fee,
      );
    }
    await runner.query(`CREATE TABLE payments.district_bank_account (
      district_code text PRIMARY KEY,
      provider_name text NOT NULL,
      bank_name text NOT NULL,
      bic text NOT NULL,
      iban text NOT NULL
    )`);
    for (const account of seedDistrictBankAccounts) {
      await runner.query(
        `INSERT INTO payments.district_bank_account (district_code, provider_name, bank_name, bic, iban)
         VALUES ($1, $2, $3, $4, $5)`,
        [account.districtCode, account.providerName, account.bankName, account.bic, account.iban],
      );
    }
    await runner.query(`CREATE SEQUENCE payments.ais_payment_number`);
    await runner.query(`CREATE TABLE payments.payment_request (
      id uuid PRIMARY KEY,
      application_id uuid NOT NULL,
      application_sequence integer NOT NULL,
      attempt integer NOT NULL,
      ais_payment_id text NOT NULL UNIQUE,
      payment_system_id text UNIQUE,
      district_code text NOT NULL,
      service_number integer NOT NULL,
      urgency text NOT NULL,
      amount_minor integer NOT NULL CHECK (amount_minor > 0),
      currency text NOT NULL,
      status text NOT NULL,
      status_changed_at timestamptz,
      sequence integer NOT NULL DEFAULT 0,
      wire_request jsonb NOT NULL,
      rejection_reasons jsonb,
      expires_at timestamptz NOT NULL,
      created_at timestamptz NOT NULL,
      updated_at timestamptz NOT NULL,
      UNIQUE (application_id, application_sequence)
    )`);
    // (application_id, application_sequence) is the timeline entry that asked for payment: a
    // redelivered or republished event finds its request and creates no second one.
    await runner.query(
      `CREATE INDEX payment_request_application ON payments.payment_request (application_id, created_at)`,
    );
    await runner.query(
      `CREATE INDEX payment_request_district_day ON payments.payment_request (district_code, created_at)`,
    );
    await runner.query(`CREATE INDEX payment_request_open ON payments.payment_request (status_changed_at)
      WHERE status IN ('pending', 'authorized', 'ordered', 'in_process')`);
    await runner.query(`CREATE TABLE payments.payment_status_report (
      id bigserial PRIMARY KEY,
      payment_request_id uuid NOT NULL REFERENCES payments.payment_request (id),
      source text NOT NULL CHECK (source IN ('receipt', 'notification', 'reconciliation', 'suspension')),
      reported_status text NOT NULL,
      change_time timestamptz NOT NULL,
      recorded_status text NOT NULL,
      applied boolean NOT NULL,
      received_at timestamptz NOT NULL DEFAULT now()
    )`);
    await runner.query(
      `CREATE INDEX payment_status_report_request ON payments.payment_status_report (payment_request_id, id)`,
    );
    await runner.query(`CREATE TABLE payments.outbound_call (
      id bigserial PRIMARY KEY,
      payment_request_id uuid NOT NULL REFERENCES payments.payment_request (id),
      kind text NOT NULL CHECK (kind IN ('create', 'suspend')),
      attempts integer NOT NULL DEFAULT 0,
      next_attempt_at timestamptz NOT NULL DEFAULT now(),
      last_error text,
      done_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (payment_request_id, kind)
    )`);
    await runner.query(
      `CREATE INDEX outbound_call_due ON payments.outbound_call (next_attempt_at) WHERE done_at IS NULL`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    for (const table of ['outbound_call', 'payment_status_report', 'payment_request', 'district_bank_account', 'fee']) {
      await runner.query(`DROP TABLE payments.${table}`);
    }
    await runner.query(`DROP SEQUENCE payments.ais_payment_number`);
  }
}
