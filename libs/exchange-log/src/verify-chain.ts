import { chainHash } from './chain-hash';
import { type ChainedRecord, GENESIS_HASH } from './exchange-record';

export interface ChainProblem {
  seq: number;
  kind: 'altered' | 'deleted_before' | 'inserted_or_relinked';
  message: string;
}

/**
 * Walks the chain in seq order and names every record that does not fit: an altered record
 * (its link does not recompute), records deleted before a record (a gap in seq), or a record
 * inserted or re-linked (its previous link is not the hash of the record before it).
 */
export function verifyChain(key: string, records: ChainedRecord[]): ChainProblem[] {
  const problems: ChainProblem[] = [];
  let previous: ChainedRecord | undefined;
  for (const record of records) {
    const expectedSeq = previous ? previous.seq + 1 : 1;
    if (record.seq !== expectedSeq) {
      problems.push({
        seq: record.seq,
        kind: 'deleted_before',
        message: `records ${expectedSeq}–${record.seq - 1} are missing before ${record.seq}`,
      });
    }
    const expectedPrev = previous ? previous.hash : GENESIS_HASH;
    if (record.prevHash !== expectedPrev) {
      problems.push({
        seq: record.seq,
        kind: 'inserted_or_relinked',
        message: `record ${record.seq} does not link to the record before it`,
      });
    }
    if (chainHash(key, record.prevHash, record.seq, record) !== record.hash) {
      problems.push({ seq: record.seq, kind: 'altered', message: `record ${record.seq} was altered or forged` });
    }
    previous = record;
  }
  return problems;
}
