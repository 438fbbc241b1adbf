import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Parked pushes an operator can replay in bulk or discard with a reason (who, when, why). */
export class ParkedPushRecovery1769200000001 implements MigrationInterface {
  name = 'ParkedPushRecovery1769200000001';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE districts.outgoing_delivery DROP CONSTRAINT outgoing_delivery_state_check`);
    await runner.query(
      `ALTER TABLE districts.outgoing_delivery ADD CONSTRAINT outgoing_delivery_state_check
         CHECK (state IN ('pending', 'delivered', 'parked', 'discarded'))`,
    );
    await runner.query(
      `ALTER TABLE districts.outgoing_delivery
         ADD COLUMN replay_count integer NOT NULL DEFAULT 0,
         ADD COLUMN replayed_at timestamptz,
         ADD COLUMN replayed_by text,
         ADD COLUMN discarded_at timestamptz,
         ADD COLUMN discarded_by text,
         ADD COLUMN discard_reason text`,
    );
    // The operators' list: what waits for them, and what they gave up.
    await runner.query(
      `CREATE INDEX outgoing_delivery_operator ON districts.outgoing_delivery (state, id DESC) WHERE state IN ('parked', 'discarded')`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP INDEX districts.outgoing_delivery_operator`);
    await runner.query(
      `ALTER TABLE districts.outgoing_delivery DROP COLUMN replay_count, DROP COLUMN replayed_at, DROP COLUMN replayed_by,
         DROP COLUMN discarded_at, DROP COLUMN discarded_by, DROP COLUMN discard_reason`,
    );
    await runner.query(`ALTER TABLE districts.outgoing_delivery DROP CONSTRAINT outgoing_delivery_state_check`);
    await runner.query(
      `ALTER TABLE districts.outgoing_delivery ADD CONSTRAINT outgoing_delivery_state_check
         CHECK (state IN ('pending', 'delivered', 'parked'))`,
    );
  }
}
