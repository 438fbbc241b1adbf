import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { counterDeltas, isTransactionControl, readCounters, type ProcessCounters } from './counters';

const counters = (pid: number, sql: number, control = 0, served = 0, calls = 0): ProcessCounters => ({
  pid,
  sqlStatements: sql,
  sqlTransactionControl: control,
  httpServed: served,
  httpCalls: calls,
});

describe('bench counters', () => {
  it('takes each process’s growth over the window and sums it by name', () => {
    const before = [counters(1, 100, 40, 5, 2), counters(2, 10), counters(3, 7)];
    const after = [counters(1, 150, 60, 9, 3), counters(2, 30), counters(3, 9), counters(4, 11, 1, 1, 1)];
    const names = new Map([
      [1, 'applications'],
      [2, 'gateway'],
      [4, 'gateway'],
    ]);
    const deltas = counterDeltas(before, after, (pid) => names.get(pid));
    expect(deltas.get('applications')).toEqual({
      sqlStatements: 50,
      sqlTransactionControl: 20,
      httpServed: 4,
      httpCalls: 1,
    });
    // pid 4 started within the window: all of its counts are in it
    expect(deltas.get('gateway')).toEqual({ sqlStatements: 31, sqlTransactionControl: 1, httpServed: 1, httpCalls: 1 });
    expect(deltas.get('other processes')).toEqual({
      sqlStatements: 2,
      sqlTransactionControl: 0,
      httpServed: 0,
      httpCalls: 0,
    });
  });

  it('reads the processes’ files and leaves out a broken one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bench-counters-'));
    writeFileSync(join(dir, '11.json'), JSON.stringify(counters(11, 5)));
    writeFileSync(join(dir, '12.json'), '{"pid": 12, "sqlSta');
    writeFileSync(join(dir, '13.json.tmp'), JSON.stringify(counters(13, 5)));
    expect(readCounters(dir)).toEqual([counters(11, 5)]);
    expect(readCounters(join(dir, 'missing'))).toEqual([]);
  });

  it('tells transaction control from work', () => {
    for (const text of ['BEGIN', 'COMMIT', ' rollback', 'SAVEPOINT typeorm_1', 'RELEASE SAVEPOINT typeorm_1']) {
      expect(isTransactionControl(text)).toBe(true);
    }
    for (const text of ['SELECT 1', 'INSERT INTO commitments VALUES (1)', 'UPDATE begin_dates SET x = 1']) {
      expect(isTransactionControl(text)).toBe(false);
    }
  });
});
