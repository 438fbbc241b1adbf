import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Messages read from the districts' e-delivery inboxes. A row is written as `opening` and
 * committed before the message is opened (opening is legal delivery), so that a crash afterwards
 * loses nothing: the row, not ССЕВ's "new" list, brings the message back.
 */
export class ReceivedMessages1766000000001 implements MigrationInterface {
  name = 'ReceivedMessages1766000000001';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`CREATE TABLE delivery.received_message (
      district_code text NOT NULL,
      message_id integer NOT NULL,
      title text NOT NULL,
      state text NOT NULL CHECK (state IN ('opening', 'submitted', 'parked')),
      lease_until timestamptz NOT NULL,
      open_attempts integer NOT NULL DEFAULT 0,
      first_seen_at timestamptz NOT NULL,
      opened_at timestamptz,
      portal_application_id text,
      reason jsonb,
      original jsonb,
      PRIMARY KEY (district_code, message_id)
    )`);
    await runner.query(
      `CREATE INDEX received_message_opening ON delivery.received_message (lease_until) WHERE state = 'opening'`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE delivery.received_message`);
  }
}
