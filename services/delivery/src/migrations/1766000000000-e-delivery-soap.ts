import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * e-delivery over SOAP: the moment a send was attempted (so that after a crash the message is looked
 * up by our registration number instead of sent again), the applicant's own message a notice
 * answers (SendMessageInReplyTo), and the NRO/NRD timestamp files kept as evidence with the delivery.
 */
export class EDeliverySoap1766000000000 implements MigrationInterface {
  name = 'EDeliverySoap1766000000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE delivery.delivery ADD COLUMN send_intent_at timestamptz`);
    await runner.query(`ALTER TABLE delivery.delivery ADD COLUMN reply_to_message_id integer`);
    await runner.query(`CREATE TABLE delivery.delivery_evidence (
      delivery_id uuid NOT NULL REFERENCES delivery.delivery (id),
      kind text NOT NULL CHECK (kind IN ('nro', 'nrd')),
      file_name text NOT NULL,
      content bytea NOT NULL,
      sha256 text NOT NULL,
      recorded_at timestamptz NOT NULL,
      PRIMARY KEY (delivery_id, kind)
    )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE delivery.delivery_evidence`);
    await runner.query(`ALTER TABLE delivery.delivery DROP COLUMN reply_to_message_id`);
    await runner.query(`ALTER TABLE delivery.delivery DROP COLUMN send_intent_at`);
  }
}
