import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Each district's HMAC secret in the database instead of an environment variable: every version
 * sealed (AES-256-GCM) under a key of the districts service's keyring, named by its key id, with
 * who set it and a short fingerprint. The newest version signs; the one before it still verifies
 * inbound answers for a grace period after a rotation.
 */
export class DistrictSecrets1769100000000 implements MigrationInterface {
  name = 'DistrictSecrets1769100000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`CREATE TABLE districts.district_secret (
      district_code text NOT NULL REFERENCES districts.district (code),
      version integer NOT NULL CHECK (version > 0),
      key_id text NOT NULL,
      sealed text NOT NULL,
      fingerprint text NOT NULL,
      set_by text NOT NULL,
      set_at timestamptz NOT NULL DEFAULT now(),
      reason text NOT NULL,
      PRIMARY KEY (district_code, version)
    )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE districts.district_secret`);
  }
}
