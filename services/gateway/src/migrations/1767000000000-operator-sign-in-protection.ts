import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Operator sign-in protection shared by every gateway instance: failed attempts per account and per
 * address (throttling and lockout), an audit of sign-ins, demo accounts marked as such, and OIDC
 * identities bound by issuer and subject instead of a mutable username or e-mail claim.
 */
export class OperatorSignInProtection1767000000000 implements MigrationInterface {
  name = 'OperatorSignInProtection1767000000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE gateway.operator
      ADD COLUMN demo boolean NOT NULL DEFAULT false,
      ADD COLUMN oidc_issuer text,
      ADD COLUMN oidc_subject text,
      ADD CONSTRAINT operator_oidc_identity UNIQUE (oidc_issuer, oidc_subject),
      ADD CONSTRAINT operator_oidc_identity_complete CHECK ((oidc_issuer IS NULL) = (oidc_subject IS NULL))`);
    // One row per account name ('account:<name>', known or not) and per client address ('address:<ip>').
    await runner.query(`CREATE TABLE gateway.sign_in_throttle (
      key text PRIMARY KEY,
      failures integer NOT NULL,
      window_started_at timestamptz NOT NULL,
      locked_until timestamptz
    )`);
    await runner.query(`CREATE TABLE gateway.operator_sign_in_audit (
      id bigserial PRIMARY KEY,
      at timestamptz NOT NULL DEFAULT now(),
      username text NOT NULL,
      address text NOT NULL,
      method text NOT NULL,
      outcome text NOT NULL
    )`);
    await runner.query(`CREATE INDEX operator_sign_in_audit_at ON gateway.operator_sign_in_audit (at)`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE gateway.operator_sign_in_audit`);
    await runner.query(`DROP TABLE gateway.sign_in_throttle`);
    await runner.query(`ALTER TABLE gateway.operator
      DROP CONSTRAINT operator_oidc_identity_complete, DROP CONSTRAINT operator_oidc_identity,
      DROP COLUMN oidc_subject, DROP COLUMN oidc_issuer, DROP COLUMN demo`);
  }
}
