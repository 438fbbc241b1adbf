import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Revocation by a list the CA signs (CRL), published here by the signer (`npm run pki`), so the
 * gateway trusts what it reads by its signature, not by the database; the audit of failed OAuth
 * client authentications. `revoked_client_certificate` stays as the readable register (who, why),
 * which the gateway no longer reads: deleting a row there un-revokes nothing.
 */
export class SignedRevocationList1768400000000 implements MigrationInterface {
  name = 'SignedRevocationList1768400000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`CREATE TABLE gateway.client_certificate_revocation_list (
      crl_number bigint PRIMARY KEY CHECK (crl_number > 0),
      der bytea NOT NULL,
      published_at timestamptz NOT NULL DEFAULT now()
    )`);
    await runner.query(`CREATE TABLE gateway.oauth_client_audit (
      id bigserial PRIMARY KEY,
      at timestamptz NOT NULL DEFAULT now(),
      client_id text NOT NULL,
      address text NOT NULL,
      outcome text NOT NULL
    )`);
    await runner.query(`CREATE INDEX oauth_client_audit_at ON gateway.oauth_client_audit (at)`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE gateway.oauth_client_audit`);
    await runner.query(`DROP TABLE gateway.client_certificate_revocation_list`);
  }
}
