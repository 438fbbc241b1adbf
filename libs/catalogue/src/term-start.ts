import type { Money } from './money';

/** When a service's processing term starts running. */
export type TermStart = 'submission' | 'payment';

/**
 * Services whose term does not follow the default rule below, by IISDA service number, each with
 * the source that says so. None is known today; an entry needs its source, not a guess.
 */
export const termStartOverrides: ReadonlyMap<number, { termStartsAt: TermStart; source: string }> = new Map();

/**
 * The default: a service that charges a fee at any urgency (or whose fee is not known yet, since
 * unknown is never free) runs its term from payment; a free one from submission. In the Unified
 * Model the administration provides a paid service once the fee is paid (application, payment,
 * then provision), and Sofia's districts state their terms for paid services from that day.
 */
export function termStartOf(serviceNumber: number, urgencies: readonly { fee: Money | null }[]): TermStart {
  const override = termStartOverrides.get(serviceNumber);
  if (override) return override.termStartsAt;
  return urgencies.some((urgency) => urgency.fee === null || urgency.fee.amountMinor > 0) ? 'payment' : 'submission';
}
