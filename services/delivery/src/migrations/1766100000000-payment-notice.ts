import type { MigrationInterface, QueryRunner } from 'typeorm';

/** A payment notice carries the fee and how to pay it: amount, the payment system's request, the access code. */
export class PaymentNotice1766100000000 implements MigrationInterface {
  name = 'PaymentNotice1766100000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE delivery.delivery ADD COLUMN payment jsonb`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE delivery.delivery DROP COLUMN payment`);
  }
}
