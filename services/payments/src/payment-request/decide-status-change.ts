import type { PaymentStatus } from '@umg/contracts';
import type { PaymentRequestStatus } from './payment-request-status';

export type StatusChangeDecision = 'apply' | 'duplicate' | 'older' | 'paid_is_final' | 'request_rejected';

/**
 * Whether a status the payment system reported changes the request. Notifications repeat and
 * arrive out of order, so the ChangeTime decides, and Paid is final whatever comes after.
 */
export function decideStatusChange(
  current: { status: PaymentRequestStatus; statusChangedAt: Date | null },
  reported: { status: PaymentStatus; changeTime: Date },
): StatusChangeDecision {
  if (current.status === 'rejected') return 'request_rejected';
  if (reported.status === current.status) return 'duplicate';
  if (current.status === 'paid') return 'paid_is_final';
  if (current.statusChangedAt && reported.changeTime.getTime() < current.statusChangedAt.getTime()) return 'older';
  return 'apply';
}
