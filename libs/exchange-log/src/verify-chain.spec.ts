import { chainHash } from './chain-hash';
import { type ChainedRecord, GENESIS_HASH } from './exchange-record';
import { verifyChain } from './verify-chain';

const key = 'test-exchange-log-key';

function chain(length: number): ChainedRecord[] {
  const records: ChainedRecord[] = [];
  let prevHash = GENESIS_HASH;
  for (let seq = 1; seq <= length; seq++) {
    const record = {
      occurredAt: new Date(Date.UTC(2026, 10, 27, 8, 0, seq)),
      party: 'district:serdika:api-key:0001',
      direction: 'inbound' as const,
      operation: 'POST /v1/applications/{applicationId}/registration',
      requestId: `req-${seq}`,
      requestHash: 'f'.repeat(64),
      outcome: '200',
    };
    const hash = chainHash(key, prevHash, seq, record);
    records.push({ ...record, seq, prevHash, hash });
    prevHash = hash;
  }
  return records;
}

describe('exchange log chain', () => {
  it('verifies an intact chain', () => {
    expect(verifyChain(key, chain(5))).toEqual([]);
  });

  it('names an altered record', () => {
    const records = chain(5);
    records[2] = { ...records[2]!, outcome: '404' };
    expect(verifyChain(key, records)).toEqual([expect.objectContaining({ seq: 3, kind: 'altered' })]);
  });

  it('names the place of a deleted record', () => {
    const records = chain(5);
    records.splice(1, 1);
    expect(verifyChain(key, records).map((problem) => [problem.seq, problem.kind])).toEqual([
      [3, 'deleted_before'],
      [3, 'inserted_or_relinked'],
    ]);
  });

  it('names an inserted record even when its own link was computed with a guessed key', () => {
    const records = chain(3);
    const forged = { ...records[1]!, seq: 4, requestId: 'forged', prevHash: records[2]!.hash };
    forged.hash = chainHash('not-the-key', forged.prevHash, 4, forged);
    expect(verifyChain(key, [...records, forged])).toEqual([expect.objectContaining({ seq: 4, kind: 'altered' })]);
  });

  it('refuses a chain checked with the wrong key', () => {
    expect(verifyChain('another-key', chain(2)).every((problem) => problem.kind === 'altered')).toBe(true);
  });
});
