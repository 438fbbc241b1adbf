/**
 * DDL of the outbox, inbox and dead-letter tables, created in each service's own schema by that
 * service's first migration.
 */
export function messagingTablesUp(schema: string): string[] {
  const s = `"${schema}"`;
  return [
    `CREATE TABLE ${s}.outbox (
      id bigserial PRIMARY KEY,
      message_id uuid NOT NULL UNIQUE,
      topic text NOT NULL,
      message_key text,
      message_type text NOT NULL,
      headers jsonb NOT NULL,
      payload jsonb NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      published_at timestamptz,
      attempts integer NOT NULL DEFAULT 0,
      last_error text
    )`,
    `CREATE INDEX outbox_unpublished ON ${s}.outbox (id) WHERE published_at IS NULL`,
    // Wakes the relay at commit time instead of making it poll hard.
    `CREATE FUNCTION ${s}.notify_outbox() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN PERFORM pg_notify('${schema}_outbox', ''); RETURN NULL; END $$`,
    `CREATE TRIGGER outbox_notify AFTER INSERT ON ${s}.outbox
      FOR EACH STATEMENT EXECUTE FUNCTION ${s}.notify_outbox()`,
    `CREATE TABLE ${s}.inbox (
      consumer_group text NOT NULL,
      message_id text NOT NULL,
      topic text NOT NULL,
      partition integer NOT NULL,
      "offset" bigint NOT NULL,
      processed_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (consumer_group, message_id)
    )`,
    `CREATE TABLE ${s}.dead_letter (
      id bigserial PRIMARY KEY,
      consumer_group text NOT NULL,
      topic text NOT NULL,
      partition integer NOT NULL,
      "offset" bigint NOT NULL,
      message_key text,
      headers jsonb NOT NULL,
      value bytea,
      reason_code text NOT NULL,
      reason_message text NOT NULL,
      attempts integer NOT NULL,
      failed_at timestamptz NOT NULL DEFAULT now(),
      replayed_at timestamptz
    )`,
    `CREATE INDEX dead_letter_open ON ${s}.dead_letter (failed_at) WHERE replayed_at IS NULL`,
  ];
}

export function messagingTablesDown(schema: string): string[] {
  const s = `"${schema}"`;
  return [
    `DROP TABLE ${s}.dead_letter`,
    `DROP TABLE ${s}.inbox`,
    `DROP TRIGGER outbox_notify ON ${s}.outbox`,
    `DROP FUNCTION ${s}.notify_outbox()`,
    `DROP TABLE ${s}.outbox`,
  ];
}
