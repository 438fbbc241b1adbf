import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A call that becomes due now NOTIFYs `payments_outbound_call` when its transaction commits, so
 * the outbound worker wakes on work instead of polling every few hundred milliseconds. Calls due
 * later are found by the worker's own look at the next due time. NOTIFY collapses repeats within
 * a transaction, so a batch costs one notification.
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
         FOR EACH ROW WHEN (NEW.done_at IS NULL AND NEW.next_attempt_at <= now())
         EXECUTE FUNCTION payments.notify_outbound_call_due()`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TRIGGER outbound_call_due ON payments.outbound_call`);
    await runner.query(`DROP FUNCTION payments.notify_outbound_call_due()`);
  }
}
