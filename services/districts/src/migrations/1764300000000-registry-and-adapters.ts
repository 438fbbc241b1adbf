import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The district registry (profiles, phases, enablement, audit), the published offerings state,
 * the per-district outgoing queue with its attempt history, and conformance runs.
 */
export class RegistryAndAdapters1764300000000 implements MigrationInterface {
  name = 'RegistryAndAdapters1764300000000';

  async up(runner: QueryRunner): Promise<void> {
    const statements = [
      `CREATE TABLE districts.district (
        code text PRIMARY KEY,
        no integer NOT NULL UNIQUE,
        name_bg text NOT NULL,
        name_en text NOT NULL,
        phase text NOT NULL CHECK (phase IN ('not_started', 'onboarding', 'pilot', 'live', 'suspended')),
        live_since timestamptz,
        adapter_style text NOT NULL CHECK (adapter_style IN ('pull', 'push_json', 'push_soap')),
        endpoint text,
        credentials_ref text,
        mapping jsonb,
        profile_version integer NOT NULL DEFAULT 1,
        bank jsonb NOT NULL,
        contacts jsonb NOT NULL DEFAULT '[]',
        offerings_version integer NOT NULL DEFAULT 0,
        offerings_digest text,
        offerings_changed_at timestamptz,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`,
      `CREATE TABLE districts.service_enablement (
        district_code text NOT NULL REFERENCES districts.district (code),
        service_number integer NOT NULL,
        enabled_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (district_code, service_number)
      )`,
      `CREATE TABLE districts.registry_audit (
        id bigserial PRIMARY KEY,
        district_code text NOT NULL REFERENCES districts.district (code),
        change text NOT NULL,
        before jsonb,
        after jsonb,
        actor text NOT NULL,
        reason text NOT NULL,
        at timestamptz NOT NULL DEFAULT now()
      )`,
      `CREATE INDEX registry_audit_district ON districts.registry_audit (district_code, id DESC)`,
      `CREATE TABLE districts.outgoing_delivery (
        id bigserial PRIMARY KEY,
        district_code text NOT NULL REFERENCES districts.district (code),
        application_id uuid NOT NULL,
        sequence integer NOT NULL,
        kind text NOT NULL CHECK (kind IN ('application', 'status_change')),
        payload jsonb NOT NULL,
        state text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'delivered', 'parked')),
        attempts integer NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL DEFAULT now(),
        lease_until timestamptz,
        last_error text,
        back_office_reference text,
        created_at timestamptz NOT NULL DEFAULT now(),
        delivered_at timestamptz,
        UNIQUE (district_code, application_id, sequence)
      )`,
      // The worker reads the head of each district's queue.
      `CREATE INDEX outgoing_delivery_pending ON districts.outgoing_delivery (district_code, id) WHERE state = 'pending'`,
      `CREATE TABLE districts.delivery_attempt (
        id bigserial PRIMARY KEY,
        delivery_id bigint NOT NULL REFERENCES districts.outgoing_delivery (id),
        district_code text NOT NULL,
        attempted_at timestamptz NOT NULL DEFAULT now(),
        outcome text NOT NULL,
        http_status integer,
        duration_ms integer NOT NULL,
        error text
      )`,
      `CREATE INDEX delivery_attempt_district ON districts.delivery_attempt (district_code, id DESC)`,
      `CREATE TABLE districts.conformance_run (
        id bigserial PRIMARY KEY,
        district_code text NOT NULL REFERENCES districts.district (code),
        adapter_style text NOT NULL,
        profile_version integer NOT NULL,
        passed boolean NOT NULL,
        checks jsonb NOT NULL,
        actor text NOT NULL,
        started_at timestamptz NOT NULL,
        finished_at timestamptz NOT NULL
      )`,
      `CREATE INDEX conformance_run_district ON districts.conformance_run (district_code, id DESC)`,
    ];
    for (const statement of statements) await runner.query(statement);
  }

  async down(runner: QueryRunner): Promise<void> {
    for (const table of [
      'conformance_run',
      'delivery_attempt',
      'outgoing_delivery',
      'registry_audit',
      'service_enablement',
      'district',
    ]) {
      await runner.query(`DROP TABLE districts.${table}`);
    }
  }
}
