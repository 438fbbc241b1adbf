import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A call written with work ahead (not done) NOTIFYs `payments_outbound_call` when its transaction
 * commits, so the outbound worker wakes on work instead of polling every few hundred
 * milliseconds; woken, it looks when the next call is due and waits until then. Any due time
 * notifies, not only "now": a call due in a few seconds (a confirmation's minimum interval) may
 * still be sooner than the worker's next look. NOTIFY collapses repeats within a transaction.
 */
export class OutboundCallWakeups1770630000000 implements MigrationInterface {
  name = 'OutboundCallWakeups1770630000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(
      `CREATE FUNCTION payments.notify_outbound_call_due() RETURNS trigger LANGUAGE plpgsql AS $$
         BEGIN PERFORM pg_notify('payments_outbound_call', ''); RETURN NULL; END $$`,
    );
    await runner.query(
      `CREATE TRIGGER outbound_call_due AFTER INSERT OR UPDATE ON payments.outbound_call
         FOR EACH ROW WHEN (NEW.done_at IS NULL)
         EXECUTE FUNCTION payments.notify_outbound_call_due()`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TRIGGER outbound_call_due ON payments.outbound_call`);
    await runner.query(`DROP FUNCTION payments.notify_outbound_call_due()`);
  }
}
