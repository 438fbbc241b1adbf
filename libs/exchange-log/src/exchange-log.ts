import type { DataSource, EntityManager } from 'typeorm';
import { chainHash } from './chain-hash';
import { type ExchangeRecord, GENESIS_HASH } from './exchange-record';

/**
 * Appends exchanges to a hash-chained log (X-Road's message log, in spirit). Appends are
 * serialised per log by a transaction-scoped advisory lock; callers append last in their
 * transaction so the lock is held only while committing.
 */
export class ExchangeLog {
  constructor(
    private readonly schema: string,
    private readonly key: string,
  ) {}

  async append(manager: EntityManager, given: ExchangeRecord): Promise<void> {
    const record = storable(given);
    await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`exchange-log:${this.schema}`]);
    const [last] = (await manager.query(
      `SELECT seq, hash FROM "${this.schema}".exchange_log ORDER BY seq DESC LIMIT 1`,
    )) as { seq: string; hash: string }[];
    const seq = last ? Number(last.seq) + 1 : 1;
    const prevHash = last?.hash ?? GENESIS_HASH;
    await manager.query(
      `INSERT INTO "${this.schema}".exchange_log
         (seq, occurred_at, party, direction, operation, request_id, request_hash, outcome, prev_hash, hash)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [
        seq,
        record.occurredAt,
        record.party,
        record.direction,
        record.operation,
        record.requestId,
        record.requestHash,
        record.outcome.slice(0, 500),
        prevHash,
        chainHash(this.key, prevHash, seq, { ...record, outcome: record.outcome.slice(0, 500) }),
      ],
    );
  }

  /** Appends in a transaction of its own (for exchanges whose effect is not in this database). */
  appendAlone(dataSource: DataSource, record: ExchangeRecord): Promise<void> {
    return dataSource.transaction((manager) => this.append(manager, record));
  }
}

/**
 * The record as PostgreSQL can store it, hashed as stored: text columns refuse U+0000, and a NUL
 * in a caller-chosen part (e.g. a district code in a callback's path) lost the record (bad-input run).
 */
function storable(record: ExchangeRecord): ExchangeRecord {
  const text = (value: string) => (value.includes('\u0000') ? value.replaceAll('\u0000', '\uFFFD') : value);
  return {
    ...record,
    party: text(record.party),
    operation: text(record.operation),
    requestId: text(record.requestId),
    outcome: text(record.outcome),
  };
}
