import { createHmac } from 'node:crypto';
import type { ExchangeRecord } from './exchange-record';

/**
 * The link of a record: HMAC-SHA256 (keyed, so whoever can write to the table but does not hold
 * the key cannot forge a consistent chain) over the previous link and the record's fields.
 */
export function chainHash(key: string, prevHash: string, seq: number, record: ExchangeRecord): string {
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
