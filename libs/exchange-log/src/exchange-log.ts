import type { DataSource, EntityManager, QueryRunner } from 'typeorm';
import { chainHash } from './chain-hash';
import { type ExchangeRecord, GENESIS_HASH } from './exchange-record';
import type { ExchangeLogSigner } from './signing';
import { TransactionFollower } from './transaction-records';

interface Waiting {
  record: ExchangeRecord;
  resolve: () => void;
  reject: (error: unknown) => void;
}

interface Writer {
  queue: Waiting[];
  draining: boolean;
  /** The timer of records waiting for company (see `appendAlone`'s `lingerMs`). */
  lingering?: NodeJS.Timeout;
  /** The drain under way (or the last one): ends when the queue is empty. */
  drained?: Promise<void>;
}

/** Most records one group commit writes; bounded so a backlog never makes one huge statement. */
const groupLimit = 200;
/** Most rows one insert carries (15 parameters each, well under PostgreSQL's 65,535). */
const insertLimit = 1_000;

/** The newest record of a log: what a witness keeps. */
export interface LogHead {
  seq: number;
  hash: string;
}

/**
 * Appends exchanges to a hash-chained log (X-Road's message log, in spirit), each record's link
 * signed with the service's own Ed25519 key. Appends are serialised per log by a
 * transaction-scoped advisory lock, taken only just before a commit: records appended in a
 * transaction wait for it and are written together (one lock, one insert), so the lock is held
 * for the commit alone, not for a whole batch of messages.
 */
export class ExchangeLog {
  /** Records waiting for their own transaction, per data source: written together (group commit). */
  private readonly writers = new WeakMap<DataSource, Writer>();
  /** The transactions this log follows, per data source (see `attach`). */
  private readonly followers = new WeakMap<DataSource, TransactionFollower>();

  constructor(
    readonly schema: string,
    private readonly signer: ExchangeLogSigner,
  ) {}

  /** The newest record, or seq 0 and the genesis link when the log is empty. */
  async head(queryable: Pick<DataSource, 'query'>): Promise<LogHead> {
    const [last] = (await queryable.query(
      `SELECT seq, hash FROM "${this.schema}".exchange_log ORDER BY seq DESC LIMIT 1`,
    )) as { seq: string; hash: string }[];
    return last ? { seq: Number(last.seq), hash: last.hash } : { seq: 0, hash: GENESIS_HASH };
  }

  /**
   * Follows the transactions of a data source, so `append` in one of them writes at its commit.
   * Once per data source, after it is initialised (initialising replaces its subscribers).
   */
  attach(dataSource: DataSource): void {
    if (this.followers.has(dataSource)) return;
    const follower = new TransactionFollower((queryRunner, records) => this.write(queryRunner, records));
    dataSource.subscribers.push(follower);
    this.followers.set(dataSource, follower);
  }

  /**
   * Appends in the manager's transaction, atomic with its effect: on an attached data source the
   * record waits for the commit and is written just before it with the transaction's others; a
   * rollback (of the transaction, or of a savepoint taken before the append) drops it. Elsewhere
   * (not attached, or no transaction) it is written at once.
   */
  append(manager: EntityManager, record: ExchangeRecord): Promise<void> {
    const queryRunner = manager.queryRunner;
    const follower = queryRunner?.isTransactionActive ? this.followers.get(queryRunner.connection) : undefined;
    if (follower) {
      follower.of(queryRunner!).add(record);
      return Promise.resolve();
    }
    return this.write(manager, [record]);
  }

  /**
   * Appends in a transaction of its own (for exchanges whose effect is not in this database).
   * Records that arrive while one such transaction commits go together in the next: one lock,
   * one insert and one commit for many, the chain exactly as if appended one by one. With
   * `lingerMs`, a record that finds no transaction under way waits that long for others to join
   * it (for callers that do not wait for the record: polls and calls made every few hundred ms
   * then share a transaction instead of each paying one); a record without it starts one at once.
   */
  appendAlone(dataSource: DataSource, record: ExchangeRecord, lingerMs = 0): Promise<void> {
    let writer = this.writers.get(dataSource);
    if (!writer) {
      writer = { queue: [], draining: false };
      this.writers.set(dataSource, writer);
    }
    const queued = new Promise<void>((resolve, reject) => writer.queue.push({ record, resolve, reject }));
    if (writer.draining) return queued;
    if (lingerMs <= 0) {
      this.drainNow(dataSource, writer);
    } else if (!writer.lingering) {
      writer.lingering = setTimeout(() => this.drainNow(dataSource, writer), lingerMs);
    }
    return queued;
  }

  /** Writes the records still lingering now, and answers once everything queued is written (or failed). */
  async settle(dataSource: DataSource): Promise<void> {
    const writer = this.writers.get(dataSource);
    if (!writer) return;
    this.drainNow(dataSource, writer);
    await writer.drained;
  }

  private drainNow(dataSource: DataSource, writer: Writer): void {
    clearTimeout(writer.lingering);
    writer.lingering = undefined;
    if (!writer.draining) writer.drained = this.drain(dataSource, writer);
  }

  private async drain(dataSource: DataSource, writer: Writer): Promise<void> {
    writer.draining = true;
    try {
      while (writer.queue.length > 0) {
        const group = writer.queue.splice(0, groupLimit);
        try {
          await dataSource.transaction((manager) =>
            this.write(
              manager,
              group.map((waiting) => waiting.record),
            ),
          );
          for (const waiting of group) waiting.resolve();
        } catch (error) {
          for (const waiting of group) waiting.reject(error);
        }
      }
    } finally {
      writer.draining = false;
    }
  }

  /** Chains, signs and inserts records after the log's newest, under the log's lock, in the caller's transaction. */
  private async write(queryable: Pick<QueryRunner, 'query'>, records: readonly ExchangeRecord[]): Promise<void> {
    if (records.length === 0) return;
    await queryable.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`exchange-log:${this.schema}`]);
    const [last] = (await queryable.query(
      `SELECT seq, hash FROM "${this.schema}".exchange_log ORDER BY seq DESC LIMIT 1`,
    )) as { seq: string; hash: string }[];
    let seq = last ? Number(last.seq) : 0;
    let prevHash = last?.hash ?? GENESIS_HASH;
    for (let start = 0; start < records.length; start += insertLimit) {
      const values: unknown[] = [];
      const rows: string[] = [];
      for (const record of records.slice(start, start + insertLimit)) {
        seq += 1;
        const stored = storable(record);
        const hash = chainHash(prevHash, seq, stored);
        const base = values.length;
        rows.push(`(${Array.from({ length: 15 }, (_, i) => `$${base + i + 1}`).join(', ')})`);
        values.push(
          seq,
          stored.occurredAt,
          stored.party,
          stored.direction,
          stored.operation,
          stored.requestId,
          stored.requestHash,
          stored.outcome,
          stored.applicationId,
          stored.districtCode,
          stored.detail,
          prevHash,
          hash,
          this.signer.keyId,
          this.signer.sign(hash),
        );
        prevHash = hash;
      }
      await queryable.query(
        `INSERT INTO "${this.schema}".exchange_log
           (seq, occurred_at, party, direction, operation, request_id, request_hash, outcome,
            application_id, district_code, detail, prev_hash, hash, key_id, signature)
         VALUES ${rows.join(', ')}`,
        values,
      );
    }
  }
}

/**
 * The record as PostgreSQL can store it, hashed as stored: text columns refuse U+0000, and a NUL
 * in a caller-chosen part (e.g. a district code in a callback's path) lost the record (bad-input run).
 * Caller-chosen parts are bounded, so a record never grows with what an attacker sends.
 */
function storable(
  record: ExchangeRecord,
): ExchangeRecord & { applicationId: string | null; districtCode: string | null; detail: string | null } {
  const text = (value: string, max = 500) =>
    (value.includes('\u0000') ? value.replaceAll('\u0000', '\uFFFD') : value).slice(0, max);
  const optional = (value: string | null | undefined, max: number) => (value ? text(value, max) : null);
  return {
    ...record,
    party: text(record.party),
    operation: text(record.operation),
    requestId: text(record.requestId, 200),
    outcome: text(record.outcome),
    applicationId: optional(record.applicationId, 100),
    districtCode: optional(record.districtCode, 64),
    detail: optional(record.detail, 500),
  };
}
