import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A delivery written with work ahead (a due time, not held by a worker) NOTIFYs `delivery_due`
 * when its transaction commits, so the delivery worker wakes on work instead of polling every few
 * hundred milliseconds; woken, it looks when the next delivery is due and waits until then. Any
 * due time notifies, not only "now": a time the writer took from its own clock may be later than
 * the transaction's `now()`, and a later one may still be sooner than the worker's next look.
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
         FOR EACH ROW WHEN (NEW.next_attempt_at IS NOT NULL AND NEW.claim_token IS NULL)
         EXECUTE FUNCTION delivery.notify_delivery_due()`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TRIGGER delivery_due ON delivery.delivery`);
    await runner.query(`DROP FUNCTION delivery.notify_delivery_due()`);
  }
}
