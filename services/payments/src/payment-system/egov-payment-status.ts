import type { PaymentStatus } from '@umg/contracts';

/** The payment system's status codes (there is no 8). Authorized and Ordered are not Paid. */
export const paymentStatusCodes: Record<PaymentStatus, number> = {
  pending: 1,
  authorized: 2,
  ordered: 3,
  paid: 4,
  expired: 5,
  canceled: 6,
  suspended: 7,
  in_process: 9,
};

const byCode = new Map(Object.entries(paymentStatusCodes).map(([status, code]) => [code, status as PaymentStatus]));
const byName = new Map(
  Object.keys(paymentStatusCodes).map((status) => [status.replace('_', ''), status as PaymentStatus]),
);

/**
 * Reads a status as the payment system sends it: its numeric code (4 or "4"), or its English name
 * ("Paid", "InProcess"), since published clients show both. Undefined for anything else.
 */
export function parsePaymentStatus(value: unknown): PaymentStatus | undefined {
  if (typeof value === 'number') return byCode.get(value);
  if (typeof value !== 'string') return undefined;
  if (/^\d$/.test(value)) return byCode.get(Number(value));
  return byName.get(value.toLowerCase().replace(/[_\s]/g, ''));
}
