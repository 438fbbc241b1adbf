import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Revoked district client certificates, operator accounts and operator sessions. */
export class Identities1764300000000 implements MigrationInterface {
  name = 'Identities1764300000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`CREATE TABLE gateway.revoked_client_certificate (
      serial text PRIMARY KEY,
      district_code text NOT NULL,
      reason text NOT NULL,
      revoked_by text NOT NULL,
      revoked_at timestamptz NOT NULL DEFAULT now()
    )`);
    await runner.query(`CREATE TABLE gateway.operator (
      username text PRIMARY KEY,
      password_hash text,
      role text NOT NULL CHECK (role IN ('viewer', 'operator', 'administrator')),
      created_at timestamptz NOT NULL DEFAULT now(),
      disabled_at timestamptz
    )`);
    // Only a digest of the session token is stored: a copy of the table opens no session.
    await runner.query(`CREATE TABLE gateway.operator_session (
      token_hash text PRIMARY KEY,
      username text NOT NULL REFERENCES gateway.operator (username) ON DELETE CASCADE,
      signed_in_with text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      expires_at timestamptz NOT NULL
    )`);
    await runner.query(`CREATE INDEX operator_session_expiry ON gateway.operator_session (expires_at)`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE gateway.operator_session`);
    await runner.query(`DROP TABLE gateway.operator`);
    await runner.query(`DROP TABLE gateway.revoked_client_certificate`);
  }
}
