import { generateKeyPairSync } from 'node:crypto';
import { canonicalEncoding } from './canonical-encoding';
import { chainHash, legacyChainHash } from './chain-hash';
import { signHead } from './chain-head';
import { type ChainedRecord, type ExchangeRecord, GENESIS_HASH } from './exchange-record';
import { ExchangeLogSigner, publicKeysOf } from './signing';
import { verifyChain } from './verify-chain';

function newSigner(): { signer: ExchangeLogSigner; publicPem: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return {
    signer: new ExchangeLogSigner(privateKey),
    publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

const writer = newSigner();
const publicKeys = publicKeysOf([writer.publicPem]);

function recordAt(seq: number): ExchangeRecord {
  return {
    occurredAt: new Date(Date.UTC(2026, 10, 27, 8, 0, seq)),
    party: 'district:serdika:api-key:0001',
    direction: 'inbound',
    operation: 'POST /v1/applications/:applicationId/registration',
    requestId: `req-${seq}`,
    requestHash: 'f'.repeat(64),
    outcome: '200',
    applicationId: '3f1c2a9e-8b4d-4c1e-9a57-0d2b6e4f7a10',
    districtCode: 'serdika',
  };
}

/** Records as the writer appends them: linked, hashed canonically, signed. */
function signedChain(
  length: number,
  from: { seq: number; hash: string } = { seq: 0, hash: GENESIS_HASH },
  signer = writer.signer,
) {
  const records: ChainedRecord[] = [];
  let prevHash = from.hash;
  for (let seq = from.seq + 1; seq <= from.seq + length; seq++) {
    const record = recordAt(seq);
    const hash = chainHash(prevHash, seq, record);
    records.push({ ...record, seq, prevHash, hash, keyId: signer.keyId, signature: signer.sign(hash) });
    prevHash = hash;
  }
  return records;
}

const kinds = (records: ChainedRecord[], options = {}) =>
  verifyChain(records, { publicKeys, ...options }).problems.map((problem) => [problem.seq, problem.kind]);

describe('exchange log chain', () => {
  it('verifies an intact signed chain with nothing but the public key', () => {
    expect(verifyChain(signedChain(5), { publicKeys })).toEqual({ problems: [], legacyUnchecked: 0 });
  });

  it('names an altered record', () => {
    const records = signedChain(5);
    records[2] = { ...records[2]!, outcome: '404' };
    expect(kinds(records)).toEqual([[3, 'altered']]);
  });

  it('names a record rewritten and re-linked with everything a verifier holds (no private key): its signature', () => {
    const records = signedChain(5);
    const rewritten = { ...records[2]!, outcome: '404' };
    rewritten.hash = chainHash(rewritten.prevHash, 3, rewritten);
    records[2] = rewritten;
    // The attacker relinks the rest too; the signatures (over the old links) give it away.
    let prevHash = rewritten.hash;
    for (const record of records.slice(3)) {
      record.prevHash = prevHash;
      record.hash = chainHash(prevHash, record.seq, record);
      prevHash = record.hash;
    }
    expect(kinds(records)).toEqual([
      [3, 'bad_signature'],
      [4, 'bad_signature'],
      [5, 'bad_signature'],
    ]);
  });

  it('names an unsigned forged record, and one signed with another key', () => {
    const records = signedChain(3);
    const forged = { ...recordAt(4), seq: 4, prevHash: records[2]!.hash, keyId: null, signature: null, hash: '' };
    forged.hash = chainHash(forged.prevHash, 4, forged);
    expect(kinds([...records, forged])).toEqual([[4, 'unsigned']]);
    const stranger = newSigner().signer;
    const foreign = signedChain(1, { seq: 3, hash: records[2]!.hash }, stranger);
    expect(kinds([...records, ...foreign])).toEqual([[4, 'unknown_key']]);
  });

  it('names the place of a deleted record', () => {
    const records = signedChain(5);
    records.splice(1, 1);
    expect(kinds(records)).toEqual([
      [3, 'deleted_before'],
      [3, 'inserted_or_relinked'],
    ]);
  });

  it('detects the newest records deleted, and all of them, against a witnessed head', () => {
    const records = signedChain(6);
    const head = signHead(writer.signer, { service: 'gateway', seq: 6, hash: records[5]!.hash });
    expect(kinds(records, { witnessedHeads: [head] })).toEqual([]);
    // Without a witness a shortened chain is indistinguishable from a younger one; with one it is not.
    expect(kinds(records.slice(0, 4))).toEqual([]);
    expect(kinds(records.slice(0, 4), { witnessedHeads: [head] })).toEqual([[6, 'truncated']]);
    expect(kinds([], { witnessedHeads: [head] })).toEqual([[6, 'truncated']]);
  });

  it('detects a chain rewritten (even by the writer) after a witnessed head, and ignores a head it did not sign', () => {
    const records = signedChain(4);
    const head = signHead(writer.signer, { service: 'gateway', seq: 4, hash: records[3]!.hash });
    // Whoever holds the writer's key can re-sign a changed record, but not un-publish the head.
    const rewritten = { ...records[3]!, outcome: '500' };
    rewritten.hash = chainHash(rewritten.prevHash, 4, rewritten);
    rewritten.signature = writer.signer.sign(rewritten.hash);
    expect(kinds([...records.slice(0, 3), rewritten])).toEqual([]);
    expect(kinds([...records.slice(0, 3), rewritten], { witnessedHeads: [head] })).toEqual([[4, 'witness_mismatch']]);
    const forgedHead = signHead(newSigner().signer, { service: 'gateway', seq: 99, hash: 'a'.repeat(64) });
    expect(kinds(records, { witnessedHeads: [forgedHead] })).toEqual([]);
  });

  it('keeps the HMAC-era records as the chain prefix: checked with the old key when given, pinned by the first signature', () => {
    const legacyKey = 'old-shared-exchange-log-key';
    const legacy: ChainedRecord[] = [];
    let prevHash = GENESIS_HASH;
    for (let seq = 1; seq <= 3; seq++) {
      const record = recordAt(seq);
      const hash = legacyChainHash(legacyKey, prevHash, seq, record);
      legacy.push({
        ...record,
        applicationId: null,
        districtCode: null,
        seq,
        prevHash,
        hash,
        keyId: null,
        signature: null,
      });
      prevHash = hash;
    }
    const records = [...legacy, ...signedChain(2, { seq: 3, hash: prevHash })];
    expect(verifyChain(records, { publicKeys })).toEqual({ problems: [], legacyUnchecked: 3 });
    expect(verifyChain(records, { publicKeys, legacyKey })).toEqual({ problems: [], legacyUnchecked: 0 });
    records[1] = { ...records[1]!, outcome: '404' };
    expect(kinds(records, { legacyKey })).toEqual([[2, 'altered']]);
  });

  it('hashes two records differently that joining fields with a newline made identical', () => {
    // Under `\n` joining these two encoded the same text: "…\nreq-1\nprocessed\n…" (content moved between fields).
    const a = { ...recordAt(1), requestId: 'req-1\nabc', requestHash: 'def' };
    const b = { ...recordAt(1), requestId: 'req-1', requestHash: 'abc\ndef' };
    expect(legacyChainHash('k', GENESIS_HASH, 1, a)).toBe(legacyChainHash('k', GENESIS_HASH, 1, b));
    expect(chainHash(GENESIS_HASH, 1, a)).not.toBe(chainHash(GENESIS_HASH, 1, b));
    // An absent field is not an empty one.
    expect(canonicalEncoding('d', [null])).not.toEqual(canonicalEncoding('d', ['']));
  });
});
