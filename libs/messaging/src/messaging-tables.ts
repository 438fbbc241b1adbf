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

/**
 * What operators need to recover dead letters: a state (open, replayed, discarded) with who did it
 * and why, and in the inbox whether a message was dead-lettered rather than processed, so a replay
 * may process it once (and only once).
 */
export function deadLetterRecoveryUp(schema: string): string[] {
  const s = `"${schema}"`;
  return [
    `ALTER TABLE ${s}.inbox ADD COLUMN dead_lettered boolean NOT NULL DEFAULT false`,
    // Dead letters recorded before this migration kept an ordinary inbox row.
    `UPDATE ${s}.inbox i SET dead_lettered = true FROM ${s}.dead_letter d
      WHERE i.consumer_group = d.consumer_group AND i.topic = d.topic AND i.partition = d.partition AND i."offset" = d."offset"`,
    `ALTER TABLE ${s}.dead_letter
      ADD COLUMN state text NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'replayed', 'discarded')),
      ADD COLUMN replay_count integer NOT NULL DEFAULT 0,
      ADD COLUMN replayed_by text,
      ADD COLUMN discarded_at timestamptz,
      ADD COLUMN discarded_by text,
      ADD COLUMN discard_reason text`,
    `DROP INDEX ${s}.dead_letter_open`,
    `CREATE INDEX dead_letter_state ON ${s}.dead_letter (state, id DESC)`,
  ];
}

export function deadLetterRecoveryDown(schema: string): string[] {
  const s = `"${schema}"`;
  return [
    `DROP INDEX ${s}.dead_letter_state`,
    `CREATE INDEX dead_letter_open ON ${s}.dead_letter (failed_at) WHERE replayed_at IS NULL`,
    `ALTER TABLE ${s}.dead_letter DROP COLUMN state, DROP COLUMN replay_count, DROP COLUMN replayed_by,
      DROP COLUMN discarded_at, DROP COLUMN discarded_by, DROP COLUMN discard_reason`,
    `ALTER TABLE ${s}.inbox DROP COLUMN dead_lettered`,
  ];
}
