import type { MigrationInterface, QueryRunner } from 'typeorm';
import { withIbanCheckDigits } from '@umg/catalogue';

/**
 * Each district is its own payee: its own payment-system client (id and sealed secret) beside
 * its bank details, and the version of the payee last published on `districts.payees`. Seeded
 * placeholder IBANs get valid check digits, so they pass the same checks as real ones (and stay
 * marked as placeholders).
 */
export class DistrictPayee1765000000000 implements MigrationInterface {
  name = 'DistrictPayee1765000000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE districts.district
      ADD COLUMN payment_system_client jsonb,
      ADD COLUMN payee_version integer NOT NULL DEFAULT 0`);
    const placeholders = (await runner.query(
      `SELECT code, no FROM districts.district WHERE (bank->>'placeholder')::boolean`,
    )) as { code: string; no: number }[];
    for (const district of placeholders) {
      await runner.query(
        `UPDATE districts.district SET bank = jsonb_set(bank, '{iban}', to_jsonb($2::text)) WHERE code = $1`,
        [district.code, placeholderIban(district.no)],
      );
    }
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE districts.district DROP COLUMN payment_system_client, DROP COLUMN payee_version`);
  }
}

/** The made-up account at Municipal Bank a district has until it confirms its own. */
export function placeholderIban(no: number): string {
  return withIbanCheckDigits('BG', `SOMB9130${String(no).padStart(10, '0')}`);
}
