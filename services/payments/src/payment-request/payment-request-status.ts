import type { PaymentStatus } from '@umg/contracts';

/**
 * `sending` until the payment system accepts the request, `rejected` when it refuses it;
 * otherwise the payment system's own status.
 */
export type PaymentRequestStatus = 'sending' | 'rejected' | PaymentStatus;

/** Statuses in which the payment system may still change the request: reconciliation asks about these. */
export const openPaymentStatuses: readonly PaymentStatus[] = ['pending', 'authorized', 'ordered', 'in_process'];

/** The payment system allows suspending only these. */
export const suspendablePaymentStatuses: readonly PaymentRequestStatus[] = ['pending', 'canceled'];
