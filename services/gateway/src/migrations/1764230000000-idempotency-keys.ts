import type { MigrationInterface, QueryRunner } from 'typeorm';

export class IdempotencyKeys1764230000000 implements MigrationInterface {
  name = 'IdempotencyKeys1764230000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`CREATE TABLE gateway.idempotency_key (
      client_id text NOT NULL,
      key text NOT NULL,
      request_hash text NOT NULL,
      state text NOT NULL,
      response_status integer,
      response_headers jsonb,
      response_body jsonb,
      created_at timestamptz NOT NULL DEFAULT now(),
      locked_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (client_id, key)
    )`);
    await runner.query(`CREATE INDEX idempotency_key_age ON gateway.idempotency_key (created_at)`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE gateway.idempotency_key`);
  }
}
