/**
 * DDL of a service's exchange log as first created (the HMAC era), by that service's first
 * exchange-log migration. Frozen: later columns come from `exchangeLogSignedUp`.
 */
export function exchangeLogTableUp(schema: string): string[] {
  return [
    `CREATE TABLE "${schema}".exchange_log (
      seq bigint PRIMARY KEY,
      occurred_at timestamptz NOT NULL,
      party text NOT NULL,
      direction text NOT NULL,
      operation text NOT NULL,
      request_id text NOT NULL,
      request_hash text NOT NULL,
      outcome text NOT NULL,
      prev_hash text NOT NULL,
      hash text NOT NULL
    )`,
  ];
}

export function exchangeLogTableDown(schema: string): string[] {
  return [`DROP TABLE "${schema}".exchange_log`];
}

/**
 * Signed records naming what they concern: the writer's key id and signature (null for the
 * records written before, which stay as they were), the application, district and a short note.
 */
export function exchangeLogSignedUp(schema: string): string[] {
  return [
    `ALTER TABLE "${schema}".exchange_log
       ADD COLUMN application_id text,
       ADD COLUMN district_code text,
       ADD COLUMN detail text,
       ADD COLUMN key_id text,
       ADD COLUMN signature text`,
  ];
}

export function exchangeLogSignedDown(schema: string): string[] {
  return [
    `ALTER TABLE "${schema}".exchange_log
       DROP COLUMN application_id, DROP COLUMN district_code, DROP COLUMN detail,
       DROP COLUMN key_id, DROP COLUMN signature`,
  ];
}

/** The current table in one go (tests and tools that make a scratch log). */
export function exchangeLogTableCreate(schema: string): string[] {
  return [...exchangeLogTableUp(schema), ...exchangeLogSignedUp(schema)];
}
