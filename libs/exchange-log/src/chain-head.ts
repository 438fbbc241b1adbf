import { sha256OfCanonical } from './canonical-encoding';
import { type ExchangeLogSigner, type PublicKeys, verifySignature } from './signing';

/**
 * A service's chain head as witnessed outside its database: the newest seq and link at a time,
 * signed by the service. Kept by operators and auditors (topic `exchange-log.heads`, a file), it
 * lets a verifier see records deleted from the end, or all of them.
 */
export interface ChainHead {
  service: string;
  seq: number;
  hash: string;
  at: string;
  keyId: string;
  signature: string;
}

const headDomain = 'umg-exchange-log-head/v1';

function headDigest(head: Pick<ChainHead, 'service' | 'seq' | 'hash' | 'at'>): string {
  return sha256OfCanonical(headDomain, [head.service, String(head.seq), head.hash, head.at]);
}

export function signHead(
  signer: ExchangeLogSigner,
  head: Pick<ChainHead, 'service' | 'seq' | 'hash'>,
  at = new Date(),
): ChainHead {
  const unsigned = { service: head.service, seq: head.seq, hash: head.hash, at: at.toISOString() };
  return { ...unsigned, keyId: signer.keyId, signature: signer.sign(headDigest(unsigned)) };
}

/** Whether a witnessed head was signed by one of the service's keys (a forged head proves nothing). */
export function headIsAuthentic(head: ChainHead, keys: PublicKeys): boolean {
  const key = keys.get(head.keyId);
  return key !== undefined && verifySignature(key, headDigest(head), head.signature);
}

/** Heads from JSON lines (a witness file); lines that are not a head are skipped. */
export function parseHeads(text: string): ChainHead[] {
  const heads: ChainHead[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      const value = JSON.parse(line) as Partial<ChainHead>;
      if (
        typeof value.service === 'string' &&
        typeof value.seq === 'number' &&
        typeof value.hash === 'string' &&
        typeof value.at === 'string' &&
        typeof value.keyId === 'string' &&
        typeof value.signature === 'string'
      ) {
        heads.push(value as ChainHead);
      }
    } catch {
      // Not a head: skipped.
    }
  }
  return heads;
}
