import type { QueryRunner } from 'typeorm';
import type { ExchangeRecord } from './exchange-record';
import { TransactionFollower, TransactionRecords } from './transaction-records';

function record(requestId: string): ExchangeRecord {
  return {
    occurredAt: new Date('2026-12-01T10:00:00Z'),
    party: 'portal',
    direction: 'inbound',
    operation: 'kafka portal.application-submitted',
    requestId,
    requestHash: 'a'.repeat(64),
    outcome: 'created',
  };
}

const ids = (records: ExchangeRecord[]) => records.map((entry) => entry.requestId);

describe('records waiting for their transaction', () => {
  it('drops the records appended after a savepoint that is rolled back to, as the database drops their effect', () => {
    const pending = new TransactionRecords();
    pending.followStatement('SAVEPOINT umg_message');
    pending.add(record('first'));
    pending.followStatement('RELEASE SAVEPOINT umg_message');
    pending.followStatement('SAVEPOINT umg_message');
    pending.add(record('second'));
    pending.followStatement('ROLLBACK TO SAVEPOINT umg_message');
    pending.followStatement('SAVEPOINT umg_message');
    pending.add(record('third'));
    pending.followStatement('RELEASE SAVEPOINT umg_message');

    expect(ids(pending.take())).toEqual(['first', 'third']);
  });

  it('follows nested savepoints: rolling back to the outer one drops what the inner released', () => {
    const pending = new TransactionRecords();
    pending.add(record('before'));
    pending.followStatement('SAVEPOINT typeorm_1');
    pending.add(record('outer'));
    pending.followStatement('savepoint "Inner"');
    pending.add(record('inner'));
    pending.followStatement('RELEASE "Inner"');
    pending.followStatement('ROLLBACK TO typeorm_1');

    expect(ids(pending.take())).toEqual(['before']);
  });

  it('keeps everything for statements that are not about savepoints', () => {
    const pending = new TransactionRecords();
    pending.add(record('kept'));
    pending.followStatement('SELECT 1');
    pending.followStatement('ROLLBACK TO SAVEPOINT never_taken');
    pending.followStatement(`INSERT INTO x VALUES ('SAVEPOINT a')`);

    expect(ids(pending.take())).toEqual(['kept']);
  });
});

describe('the transaction follower', () => {
  function runner(depth: number, active = true): QueryRunner {
    return { isTransactionActive: active, transactionDepth: depth } as unknown as QueryRunner;
  }

  it('writes a transaction’s records once, at its outermost commit, and not those of another transaction', async () => {
    const written: string[][] = [];
    const follower = new TransactionFollower((_, records) => {
      written.push(ids(records));
      return Promise.resolve();
    });
    const outer = runner(1);
    const other = runner(1);
    follower.of(outer).add(record('a'));
    follower.of(outer).add(record('b'));
    follower.of(other).add(record('c'));

    await follower.beforeTransactionCommit({ queryRunner: runner(2) } as never);
    await follower.beforeTransactionCommit({ queryRunner: outer } as never);
    await follower.beforeTransactionCommit({ queryRunner: outer } as never);

    expect(written).toEqual([['a', 'b']]);
  });

  it('forgets a rolled-back transaction’s records', async () => {
    const written: string[][] = [];
    const follower = new TransactionFollower((_, records) => {
      written.push(ids(records));
      return Promise.resolve();
    });
    const transaction = runner(1);
    follower.of(transaction).add(record('lost'));
    follower.afterQuery({ success: true, queryRunner: transaction, query: 'SAVEPOINT umg_message' } as never);
    follower.of(transaction).add(record('rolled back'));
    follower.afterQuery({
      success: true,
      queryRunner: transaction,
      query: 'ROLLBACK TO SAVEPOINT umg_message',
    } as never);
    (transaction as unknown as { isTransactionActive: boolean }).isTransactionActive = false;
    follower.afterTransactionRollback({ queryRunner: transaction } as never);
    (transaction as unknown as { isTransactionActive: boolean }).isTransactionActive = true;
    await follower.beforeTransactionCommit({ queryRunner: transaction } as never);

    expect(written).toEqual([]);
  });
});
