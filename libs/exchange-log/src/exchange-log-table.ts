/** DDL of a service's exchange log, created by that service's migration. */
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
