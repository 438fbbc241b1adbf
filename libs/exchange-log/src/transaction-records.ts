import type {
  AfterQueryEvent,
  EntitySubscriberInterface,
  QueryRunner,
  TransactionCommitEvent,
  TransactionRollbackEvent,
} from 'typeorm';
import type { ExchangeRecord } from './exchange-record';

/** `SAVEPOINT x`, `RELEASE [SAVEPOINT] x`, `ROLLBACK TO [SAVEPOINT] x`, as TypeORM and the consumers send them. */
const savepointStatement =
  /^\s*(SAVEPOINT|RELEASE(?:\s+SAVEPOINT)?|ROLLBACK\s+TO(?:\s+SAVEPOINT)?)\s+("?)([^\s";]+)\2\s*;?\s*$/i;

/** The first letters of those statements (S, R in either case): every other query is passed over at once. */
function mayBeSavepointStatement(query: string): boolean {
  const first = query.trimStart().charCodeAt(0) | 0x20;
  return first === 0x73 || first === 0x72;
}

/**
 * The exchange records appended in one transaction, waiting for its commit, and the savepoints
 * open in it with how many records each had seen: rolling back to a savepoint drops the records
 * appended after it, as the database drops the effect they record.
 */
export class TransactionRecords {
  private readonly records: ExchangeRecord[] = [];
  private readonly savepoints: { name: string; mark: number }[] = [];

  add(record: ExchangeRecord): void {
    this.records.push(record);
  }

  /** What a successful statement of the transaction does to the records waiting (savepoints only). */
  followStatement(query: string): void {
    const match = savepointStatement.exec(query);
    if (!match) return;
    const verb = match[1]!.toUpperCase();
    const name = match[2] ? match[3]! : match[3]!.toLowerCase();
    if (verb === 'SAVEPOINT') {
      this.savepoints.push({ name, mark: this.records.length });
      return;
    }
    const index = this.savepoints.map((savepoint) => savepoint.name).lastIndexOf(name);
    if (index < 0) return;
    if (verb.startsWith('ROLLBACK')) {
      // The savepoint stays (it can be rolled back to again); the ones after it are gone.
      this.records.length = this.savepoints[index]!.mark;
      this.savepoints.length = index + 1;
    } else {
      // Released with every savepoint after it; their records now belong to the enclosing level.
      this.savepoints.length = index;
    }
  }

  take(): ExchangeRecord[] {
    return this.records.splice(0);
  }
}

/**
 * Follows the transactions of one data source for one log: the records appended in each, and the
 * savepoints taken, released and rolled back to. As a TypeORM subscriber: at the outermost commit
 * `write` gets the transaction's records (in the transaction, before COMMIT, so a failure rolls
 * the transaction back); at its end, commit or rollback, they are forgotten.
 */
export class TransactionFollower implements EntitySubscriberInterface {
  private readonly open = new WeakMap<QueryRunner, TransactionRecords>();

  constructor(private readonly write: (queryRunner: QueryRunner, records: ExchangeRecord[]) => Promise<void>) {}

  of(queryRunner: QueryRunner): TransactionRecords {
    let found = this.open.get(queryRunner);
    if (!found) {
      found = new TransactionRecords();
      this.open.set(queryRunner, found);
    }
    return found;
  }

  afterQuery(event: AfterQueryEvent): void {
    if (!event.success || !event.queryRunner.isTransactionActive || !mayBeSavepointStatement(event.query)) return;
    this.of(event.queryRunner).followStatement(event.query);
  }

  async beforeTransactionCommit(event: TransactionCommitEvent): Promise<void> {
    // TypeORM's nested transactions are savepoints: only the outermost commit writes. (The depth
    // is TypeORM's own count, protected in its types; it is 1 until the outermost COMMIT.)
    if ((event.queryRunner as unknown as { transactionDepth: number }).transactionDepth !== 1) return;
    const records = this.open.get(event.queryRunner)?.take() ?? [];
    if (records.length > 0) await this.write(event.queryRunner, records);
  }

  afterTransactionCommit(event: TransactionCommitEvent): void {
    if (!event.queryRunner.isTransactionActive) this.open.delete(event.queryRunner);
  }

  afterTransactionRollback(event: TransactionRollbackEvent): void {
    if (!event.queryRunner.isTransactionActive) this.open.delete(event.queryRunner);
  }
}
