import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The latest offerings snapshot of each district, as published by the districts service. */
export class DistrictOfferings1764300000000 implements MigrationInterface {
  name = 'DistrictOfferings1764300000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`CREATE TABLE applications.district_offering (
      district_code text PRIMARY KEY,
      phase text NOT NULL,
      adapter_style text NOT NULL,
      services jsonb NOT NULL,
      version integer NOT NULL,
      changed_at timestamptz NOT NULL,
      recorded_at timestamptz NOT NULL DEFAULT now()
    )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE applications.district_offering`);
  }
}
