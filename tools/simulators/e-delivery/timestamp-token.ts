import { createHash } from 'node:crypto';

/**
 * The `.tsr` file of a non-repudiation timestamp (NRO at sending, NRD at opening). ССЕВ's are
 * RFC 3161 time-stamp responses from its TSA; the simulator has no TSA, so its file is a plain
 * statement of what was stamped and when, with a digest — evidence to keep, not to verify.
 */
export function simulatedTimeStampToken(kind: 'NRO' | 'NRD', messageId: number, at: string): Buffer {
  const statement = `SIMULATED-TSR ${kind} message=${messageId} genTime=${at}`;
  const digest = createHash('sha256').update(statement).digest('hex');
  return Buffer.from(`${statement} sha256=${digest}\n`, 'utf8');
}
