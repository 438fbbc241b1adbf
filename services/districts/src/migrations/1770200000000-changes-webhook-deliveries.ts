import type { MigrationInterface, QueryRunner } from 'typeorm';

/** A pull district with a webhook gets its changes feed's entries through the outgoing queue too. */
export class ChangesWebhookDeliveries1770200000000 implements MigrationInterface {
  name = 'ChangesWebhookDeliveries1770200000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE districts.outgoing_delivery DROP CONSTRAINT outgoing_delivery_kind_check`);
    await runner.query(
      `ALTER TABLE districts.outgoing_delivery ADD CONSTRAINT outgoing_delivery_kind_check
         CHECK (kind IN ('application', 'status_change', 'deadline_alert', 'change'))`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DELETE FROM districts.delivery_attempt WHERE delivery_id IN
      (SELECT id FROM districts.outgoing_delivery WHERE kind = 'change')`);
    await runner.query(`DELETE FROM districts.outgoing_delivery WHERE kind = 'change'`);
    await runner.query(`ALTER TABLE districts.outgoing_delivery DROP CONSTRAINT outgoing_delivery_kind_check`);
    await runner.query(
      `ALTER TABLE districts.outgoing_delivery ADD CONSTRAINT outgoing_delivery_kind_check
         CHECK (kind IN ('application', 'status_change', 'deadline_alert'))`,
    );
  }
}
