import type { MigrationInterface, QueryRunner } from 'typeorm';
import { messagingTablesDown, messagingTablesUp } from '@umg/messaging';

const schema = 'applications';

export class InitialSchema1764220000000 implements MigrationInterface {
  name = 'InitialSchema1764220000000';

  async up(runner: QueryRunner): Promise<void> {
    for (const statement of messagingTablesUp(schema)) await runner.query(statement);
    await runner.query(`CREATE TABLE applications.application (
      id uuid PRIMARY KEY,
      portal_application_id text NOT NULL,
      service_reference_number text NOT NULL,
      service_number integer NOT NULL,
      service_name text NOT NULL,
      district_code text NOT NULL,
      urgency text NOT NULL,
      status text NOT NULL,
      registration_number text,
      applicant jsonb NOT NULL,
      representative jsonb,
      delivery_channel text NOT NULL,
      e_delivery_profile_id text,
      form_data jsonb NOT NULL,
      submitted_at timestamptz NOT NULL,
      received_at timestamptz NOT NULL,
      due_at timestamptz,
      overdue_at timestamptz,
      version integer NOT NULL,
      updated_at timestamptz NOT NULL
    )`);
    // A republished submission must never create a second application.
    await runner.query(`CREATE UNIQUE INDEX application_portal_id ON applications.application (portal_application_id)`);
    // The district API lists a district's applications newest first, filtered by status.
    await runner.query(
      `CREATE INDEX application_district_listing ON applications.application (district_code, received_at DESC, id DESC)`,
    );
    await runner.query(`CREATE INDEX application_district_status ON applications.application (district_code, status)`);
    await runner.query(`CREATE TABLE applications.application_event (
      id bigserial PRIMARY KEY,
      application_id uuid NOT NULL REFERENCES applications.application (id),
      sequence integer NOT NULL,
      from_status text,
      to_status text NOT NULL,
      occurred_at timestamptz NOT NULL,
      actor_kind text NOT NULL,
      actor_id text NOT NULL,
      reasons jsonb,
      details jsonb,
      UNIQUE (application_id, sequence)
    )`);
    await runner.query(`CREATE TABLE applications.attachment (
      id uuid PRIMARY KEY,
      application_id uuid NOT NULL REFERENCES applications.application (id),
      portal_attachment_id text NOT NULL,
      file_name text NOT NULL,
      media_type text NOT NULL,
      size integer NOT NULL,
      sha256 text NOT NULL,
      content bytea NOT NULL
    )`);
    await runner.query(`CREATE INDEX attachment_application ON applications.attachment (application_id)`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE applications.attachment`);
    await runner.query(`DROP TABLE applications.application_event`);
    await runner.query(`DROP TABLE applications.application`);
    for (const statement of messagingTablesDown(schema)) await runner.query(statement);
  }
}
