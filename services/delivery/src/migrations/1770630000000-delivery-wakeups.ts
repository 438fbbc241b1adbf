import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A delivery that becomes due now NOTIFYs `delivery_due` when its transaction commits, so the
 * delivery worker wakes on work instead of polling every few hundred milliseconds. Deliveries due
 * later (retries, receipt checks) are found by the worker's own look at the next due time.
 */
export class DeliveryWakeups1770630000000 implements MigrationInterface {
  name = 'DeliveryWakeups1770630000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(
      `CREATE FUNCTION delivery.notify_delivery_due() RETURNS trigger LANGUAGE plpgsql AS $$
         BEGIN PERFORM pg_notify('delivery_due', ''); RETURN NULL; END $$`,
    );
    await runner.query(
      `CREATE TRIGGER delivery_due AFTER INSERT OR UPDATE ON delivery.delivery
         FOR EACH ROW WHEN (NEW.next_attempt_at IS NOT NULL AND NEW.next_attempt_at <= now())
         EXECUTE FUNCTION delivery.notify_delivery_due()`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TRIGGER delivery_due ON delivery.delivery`);
    await runner.query(`DROP FUNCTION delivery.notify_delivery_due()`);
  }
}
