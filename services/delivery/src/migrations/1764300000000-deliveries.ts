import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Deliveries (the durable outgoing queue to e-delivery), their documents and status history. */
export class Deliveries1764300000000 implements MigrationInterface {
  name = 'Deliveries1764300000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`CREATE TABLE delivery.delivery (
      id uuid PRIMARY KEY,
      application_id uuid NOT NULL,
      district_code text NOT NULL,
      notice_kind text NOT NULL,
      event_sequence integer NOT NULL,
      service_reference_number text NOT NULL,
      service_number integer NOT NULL,
      registration_number text,
      applicant jsonb NOT NULL,
      e_delivery_profile_id text,
      reasons jsonb,
      status text NOT NULL,
      status_sequence integer NOT NULL,
      recipient_profile_id text,
      e_delivery_message_id text,
      reason jsonb,
      attempts integer NOT NULL DEFAULT 0,
      next_attempt_at timestamptz,
      claim_token uuid,
      nro_at timestamptz,
      nrd_at timestamptz,
      received_at timestamptz,
      opened_at timestamptz,
      receipt_deadline_at timestamptz,
      created_at timestamptz NOT NULL,
      updated_at timestamptz NOT NULL
    )`);
    // One delivery per notice: a retried or redelivered application event never sends it twice.
    await runner.query(
      `CREATE UNIQUE INDEX delivery_one_per_notice ON delivery.delivery (application_id, notice_kind, event_sequence)`,
    );
    // The worker's queue: only deliveries still in flight are indexed.
    await runner.query(
      `CREATE INDEX delivery_due ON delivery.delivery (next_attempt_at) WHERE next_attempt_at IS NOT NULL`,
    );
    await runner.query(`CREATE TABLE delivery.delivery_document (
      delivery_id uuid NOT NULL REFERENCES delivery.delivery (id),
      document_id uuid NOT NULL,
      position integer NOT NULL,
      file_name text,
      media_type text,
      size integer,
      sha256 text,
      blob_id text,
      malware_scan_status text,
      signature_status text,
      blocked_reason text,
      PRIMARY KEY (delivery_id, document_id)
    )`);
    await runner.query(`CREATE TABLE delivery.delivery_status_change (
      delivery_id uuid NOT NULL REFERENCES delivery.delivery (id),
      sequence integer NOT NULL,
      status text NOT NULL,
      reason jsonb,
      changed_at timestamptz NOT NULL,
      PRIMARY KEY (delivery_id, sequence)
    )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE delivery.delivery_status_change`);
    await runner.query(`DROP TABLE delivery.delivery_document`);
    await runner.query(`DROP TABLE delivery.delivery`);
  }
}
