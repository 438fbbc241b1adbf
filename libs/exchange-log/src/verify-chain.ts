import { chainHash, legacyChainHash } from './chain-hash';
import { type ChainHead, headIsAuthentic } from './chain-head';
import { type ChainedRecord, GENESIS_HASH } from './exchange-record';
import { type PublicKeys, verifySignature } from './signing';

export type ChainProblemKind =
  | 'altered'
  | 'deleted_before'
  | 'inserted_or_relinked'
  | 'unsigned'
  | 'bad_signature'
  | 'unknown_key'
  | 'truncated'
  | 'witness_mismatch';

export interface ChainProblem {
  seq: number;
  kind: ChainProblemKind;
  message: string;
}

export interface VerifyOptions {
  /** The writer's public keys by key id (current and retired): verifying needs no secret. */
  publicKeys: PublicKeys;
  /** The old shared HMAC key, to check records of the HMAC era too; without it only their links are checked. */
  legacyKey?: string;
  /** Heads of this chain witnessed outside the database; only those signed by one of `publicKeys` count. */
  witnessedHeads?: readonly ChainHead[];
}

export interface ChainVerification {
  problems: ChainProblem[];
  /** Records of the HMAC era whose contents were not checked (no legacy key given). */
  legacyUnchecked: number;
  /** The highest authentic witnessed seq, if any. */
  witnessedSeq?: number;
}

/**
 * Walks the chain in seq order and names every record that does not fit: an altered record (its
 * link does not recompute), a record without a signature after signing began, a signature that
 * is not the writer's, records deleted before a record (a gap in seq), a record inserted or
 * re-linked; then compares the chain with the witnessed heads: a head beyond the chain's end
 * means its newest records (or all) were deleted, a head whose link differs means a rewrite.
 *
 * HMAC-era records (no signature) may only come first; the first signed record's prev_hash pins
 * their whole prefix, so they cannot be changed after it without breaking that signed link.
 */
export function verifyChain(records: readonly ChainedRecord[], options: VerifyOptions): ChainVerification {
  const problems: ChainProblem[] = [];
  let legacyUnchecked = 0;
  let signingBegan = false;
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
    problems.push(...recordProblems(record, options, signingBegan));
    if (record.signature === null && !signingBegan && options.legacyKey === undefined) legacyUnchecked += 1;
    if (record.signature !== null) signingBegan = true;
    previous = record;
  }
  const witness = witnessProblems(records, options);
  return { problems: [...problems, ...witness.problems], legacyUnchecked, witnessedSeq: witness.witnessedSeq };
}

function recordProblems(record: ChainedRecord, options: VerifyOptions, signingBegan: boolean): ChainProblem[] {
  const seq = record.seq;
  if (record.signature === null || record.keyId === null) {
    if (signingBegan) {
      return [{ seq, kind: 'unsigned', message: `record ${seq} has no signature: forged or written without the key` }];
    }
    if (
      options.legacyKey !== undefined &&
      legacyChainHash(options.legacyKey, record.prevHash, seq, record) !== record.hash
    ) {
      return [{ seq, kind: 'altered', message: `record ${seq} (HMAC era) was altered or forged` }];
    }
    return [];
  }
  if (chainHash(record.prevHash, seq, record) !== record.hash) {
    return [{ seq, kind: 'altered', message: `record ${seq} was altered: its link does not recompute` }];
  }
  const key = options.publicKeys.get(record.keyId);
  if (!key) {
    return [
      { seq, kind: 'unknown_key', message: `record ${seq} is signed by key ${record.keyId}, not one of the writer's` },
    ];
  }
  if (!verifySignature(key, record.hash, record.signature)) {
    return [{ seq, kind: 'bad_signature', message: `record ${seq} was forged: its signature is not the writer's` }];
  }
  return [];
}

function witnessProblems(
  records: readonly ChainedRecord[],
  options: VerifyOptions,
): { problems: ChainProblem[]; witnessedSeq?: number } {
  const heads = (options.witnessedHeads ?? []).filter((head) => headIsAuthentic(head, options.publicKeys));
  if (heads.length === 0) return { problems: [] };
  const bySeq = new Map(records.map((record) => [record.seq, record]));
  const last = records.at(-1)?.seq ?? 0;
  const problems: ChainProblem[] = [];
  const newest = heads.reduce((a, b) => (b.seq > a.seq ? b : a));
  if (newest.seq > last) {
    problems.push({
      seq: newest.seq,
      kind: 'truncated',
      message:
        last === 0
          ? `the log is empty, but head ${newest.seq} was witnessed at ${newest.at}: every record was deleted`
          : `the log ends at ${last}, but head ${newest.seq} was witnessed at ${newest.at}: its newest records were deleted`,
    });
  }
  const named = new Set<number>();
  for (const head of heads) {
    const record = bySeq.get(head.seq);
    if (record && record.hash !== head.hash && !named.has(head.seq)) {
      named.add(head.seq);
      problems.push({
        seq: head.seq,
        kind: 'witness_mismatch',
        message: `record ${head.seq} is not the one witnessed at ${head.at}: the chain was rewritten`,
      });
    }
  }
  return { problems, witnessedSeq: newest.seq };
}
