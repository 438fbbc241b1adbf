import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Push districts also get deadline alerts (due soon, overdue) through their outgoing queue. */
export class DeadlineAlertDeliveries1769300000000 implements MigrationInterface {
  name = 'DeadlineAlertDeliveries1769300000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE districts.outgoing_delivery DROP CONSTRAINT outgoing_delivery_kind_check`);
    await runner.query(
      `ALTER TABLE districts.outgoing_delivery ADD CONSTRAINT outgoing_delivery_kind_check
         CHECK (kind IN ('application', 'status_change', 'deadline_alert'))`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DELETE FROM districts.delivery_attempt WHERE delivery_id IN
      (SELECT id FROM districts.outgoing_delivery WHERE kind = 'deadline_alert')`);
    await runner.query(`DELETE FROM districts.outgoing_delivery WHERE kind = 'deadline_alert'`);
    await runner.query(`ALTER TABLE districts.outgoing_delivery DROP CONSTRAINT outgoing_delivery_kind_check`);
    await runner.query(
      `ALTER TABLE districts.outgoing_delivery ADD CONSTRAINT outgoing_delivery_kind_check
         CHECK (kind IN ('application', 'status_change'))`,
    );
  }
}
