import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * "Push" (to back offices) and "delivery" (e-delivery) no longer share a word: the outgoing
 * queue and its attempts are pushes, a push the back office took is `answered`, and the audit
 * names replays and discards of pushes as such. Renames only; no row changes meaning.
 */
export class PushNames1770500000000 implements MigrationInterface {
  async up(runner: QueryRunner): Promise<void> {
    for (const statement of [
      `ALTER TABLE districts.outgoing_delivery RENAME TO outgoing_push`,
      `ALTER SEQUENCE districts.outgoing_delivery_id_seq RENAME TO outgoing_push_id_seq`,
      `ALTER TABLE districts.outgoing_push RENAME CONSTRAINT outgoing_delivery_pkey TO outgoing_push_pkey`,
      `ALTER TABLE districts.outgoing_push RENAME CONSTRAINT outgoing_delivery_district_code_application_id_sequence_key
         TO outgoing_push_district_code_application_id_sequence_key`,
      `ALTER TABLE districts.outgoing_push RENAME CONSTRAINT outgoing_delivery_district_code_fkey TO outgoing_push_district_code_fkey`,
      `ALTER TABLE districts.outgoing_push RENAME CONSTRAINT outgoing_delivery_kind_check TO outgoing_push_kind_check`,
      `ALTER INDEX districts.outgoing_delivery_operator RENAME TO outgoing_push_operator`,
      `ALTER INDEX districts.outgoing_delivery_pending RENAME TO outgoing_push_pending`,
      `ALTER TABLE districts.outgoing_push RENAME COLUMN delivered_at TO answered_at`,
      `ALTER TABLE districts.outgoing_push DROP CONSTRAINT outgoing_delivery_state_check`,
      `UPDATE districts.outgoing_push SET state = 'answered' WHERE state = 'delivered'`,
      `ALTER TABLE districts.outgoing_push ADD CONSTRAINT outgoing_push_state_check
         CHECK (state IN ('pending', 'answered', 'parked', 'discarded'))`,
      `ALTER TABLE districts.delivery_attempt RENAME TO push_attempt`,
      `ALTER SEQUENCE districts.delivery_attempt_id_seq RENAME TO push_attempt_id_seq`,
      `ALTER TABLE districts.push_attempt RENAME CONSTRAINT delivery_attempt_pkey TO push_attempt_pkey`,
      `ALTER TABLE districts.push_attempt RENAME COLUMN delivery_id TO push_id`,
      `ALTER TABLE districts.push_attempt RENAME CONSTRAINT delivery_attempt_delivery_id_fkey TO push_attempt_push_id_fkey`,
      `ALTER INDEX districts.delivery_attempt_district RENAME TO push_attempt_district`,
      `UPDATE districts.push_attempt SET outcome = 'answered' WHERE outcome = 'delivered'`,
      `UPDATE districts.registry_audit SET change = 'push_replay' WHERE change = 'delivery_replay'`,
      `UPDATE districts.registry_audit SET change = 'push_discard' WHERE change = 'delivery_discard'`,
      `UPDATE districts.registry_audit SET after = (after - 'deliveryId') || jsonb_build_object('pushId', after -> 'deliveryId')
         WHERE change IN ('push_replay', 'push_discard') AND after ? 'deliveryId'`,
    ]) {
      await runner.query(statement);
    }
  }

  async down(runner: QueryRunner): Promise<void> {
    for (const statement of [
      `UPDATE districts.registry_audit SET after = (after - 'pushId') || jsonb_build_object('deliveryId', after -> 'pushId')
         WHERE change IN ('push_replay', 'push_discard') AND after ? 'pushId'`,
      `UPDATE districts.registry_audit SET change = 'delivery_discard' WHERE change = 'push_discard'`,
      `UPDATE districts.registry_audit SET change = 'delivery_replay' WHERE change = 'push_replay'`,
      `UPDATE districts.push_attempt SET outcome = 'delivered' WHERE outcome = 'answered'`,
      `ALTER INDEX districts.push_attempt_district RENAME TO delivery_attempt_district`,
      `ALTER TABLE districts.push_attempt RENAME CONSTRAINT push_attempt_push_id_fkey TO delivery_attempt_delivery_id_fkey`,
      `ALTER TABLE districts.push_attempt RENAME COLUMN push_id TO delivery_id`,
      `ALTER TABLE districts.push_attempt RENAME CONSTRAINT push_attempt_pkey TO delivery_attempt_pkey`,
      `ALTER SEQUENCE districts.push_attempt_id_seq RENAME TO delivery_attempt_id_seq`,
      `ALTER TABLE districts.push_attempt RENAME TO delivery_attempt`,
      `ALTER TABLE districts.outgoing_push DROP CONSTRAINT outgoing_push_state_check`,
      `UPDATE districts.outgoing_push SET state = 'delivered' WHERE state = 'answered'`,
      `ALTER TABLE districts.outgoing_push ADD CONSTRAINT outgoing_delivery_state_check
         CHECK (state IN ('pending', 'delivered', 'parked', 'discarded'))`,
      `ALTER TABLE districts.outgoing_push RENAME COLUMN answered_at TO delivered_at`,
      `ALTER INDEX districts.outgoing_push_pending RENAME TO outgoing_delivery_pending`,
      `ALTER INDEX districts.outgoing_push_operator RENAME TO outgoing_delivery_operator`,
      `ALTER TABLE districts.outgoing_push RENAME CONSTRAINT outgoing_push_kind_check TO outgoing_delivery_kind_check`,
      `ALTER TABLE districts.outgoing_push RENAME CONSTRAINT outgoing_push_district_code_fkey TO outgoing_delivery_district_code_fkey`,
      `ALTER TABLE districts.outgoing_push RENAME CONSTRAINT outgoing_push_district_code_application_id_sequence_key
         TO outgoing_delivery_district_code_application_id_sequence_key`,
      `ALTER TABLE districts.outgoing_push RENAME CONSTRAINT outgoing_push_pkey TO outgoing_delivery_pkey`,
      `ALTER SEQUENCE districts.outgoing_push_id_seq RENAME TO outgoing_delivery_id_seq`,
      `ALTER TABLE districts.outgoing_push RENAME TO outgoing_delivery`,
    ]) {
      await runner.query(statement);
    }
  }
}
