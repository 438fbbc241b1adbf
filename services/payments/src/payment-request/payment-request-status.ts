import type { PaymentStatus } from '@umg/contracts';

/**
 * `sending` until the payment system accepts the request, `rejected` when it refuses it,
 * `send_failed` when it could not be reached within the bounded attempts (an operator retries it);
 * otherwise the payment system's own status.
 */
export type PaymentRequestStatus = 'sending' | 'rejected' | 'send_failed' | PaymentStatus;

/** Stable codes of what keeps a request from the payment system, shown to the district and operators. */
export type PaymentRequestProblemCode =
  'payment_system_unauthorized' | 'payment_system_unavailable' | 'payment_system_refused' | 'placeholder_bank_details';

export interface PaymentRequestProblem {
  code: PaymentRequestProblemCode;
  detail: string;
  at: string;
}

/** Statuses in which the payment system may still change the request: reconciliation asks about these. */
export const openPaymentStatuses: readonly PaymentStatus[] = ['pending', 'authorized', 'ordered', 'in_process'];

/** The payment system allows suspending only these. */
export const suspendablePaymentStatuses: readonly PaymentRequestStatus[] = ['pending', 'canceled'];
