import { createHmac } from 'node:crypto';
import { sha256OfCanonical } from './canonical-encoding';
import type { ExchangeRecord } from './exchange-record';

/** Domain of a record's link, so a link can never be mistaken for a head or another structure. */
const recordDomain = 'umg-exchange-log-record/v2';

/**
 * The link of a record: SHA-256 over the canonical (length-prefixed) encoding of the previous link,
 * the seq and every field. Not keyed: what makes it unforgeable is the writer's signature over it.
 */
export function chainHash(prevHash: string, seq: number, record: ExchangeRecord): string {
  return sha256OfCanonical(recordDomain, [
    prevHash,
    String(seq),
    record.occurredAt.toISOString(),
    record.party,
    record.direction,
    record.operation,
    record.requestId,
    record.requestHash,
    record.outcome,
    record.applicationId ?? null,
    record.districtCode ?? null,
    record.detail ?? null,
  ]);
}

/**
 * The link of a record written before records were signed (the HMAC era): HMAC-SHA256 with the
 * shared key over the fields joined with `\n`. Kept only to check old records when that key is given.
 */
export function legacyChainHash(key: string, prevHash: string, seq: number, record: ExchangeRecord): string {
  const canonical = [
    prevHash,
    String(seq),
    record.occurredAt.toISOString(),
    record.party,
    record.direction,
    record.operation,
    record.requestId,
    record.requestHash,
    record.outcome,
  ].join('\n');
  return createHmac('sha256', key).update(canonical).digest('hex');
}
