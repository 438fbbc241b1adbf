import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Each district's identity in e-delivery (ССЕВ): unit identifier, certificate thumbprint, the name of its key's secret. */
export class EDeliveryIdentity1766000000000 implements MigrationInterface {
  name = 'EDeliveryIdentity1766000000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE districts.district ADD COLUMN e_delivery jsonb`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE districts.district DROP COLUMN e_delivery`);
  }
}
