import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The worker claims results before notices (issue 19: a result waited 151 s at p50 behind the
 * notices). Claim order is `delivery.claim_rank`: the due time, less a head start of 60 s for a
 * result or a refusal (what the applicant asked for) and of none for a notice. A result therefore
 * goes ahead of every notice that fell due less than 60 s before it, and a notice never waits for
 * results that fell due more than 60 s after it: notices are delayed, never starved.
 *
 * The function is IMMUTABLE so an index can serve the claim: subtracting whole seconds from a
 * timestamptz does not depend on the session's time zone (only days and months would).
 */
export class ResultsFirst1770650000000 implements MigrationInterface {
  name = 'ResultsFirst1770650000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(
      `CREATE FUNCTION delivery.claim_rank(due timestamptz, notice_kind text) RETURNS timestamptz
         LANGUAGE sql IMMUTABLE PARALLEL SAFE
         RETURN due - CASE WHEN notice_kind IN ('result', 'refusal') THEN interval '60 seconds' ELSE interval '0 seconds' END`,
    );
    await runner.query(
      `CREATE INDEX delivery_claim_order ON delivery.delivery (delivery.claim_rank(next_attempt_at, notice_kind))
         WHERE next_attempt_at IS NOT NULL`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP INDEX delivery.delivery_claim_order`);
    await runner.query(`DROP FUNCTION delivery.claim_rank(timestamptz, text)`);
  }
}
