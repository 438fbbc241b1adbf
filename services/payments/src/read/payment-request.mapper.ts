import type { PaymentsInternalComponents } from '@umg/contracts';
import type { PaymentRequestEntity } from '../payment-request/payment-request.entity';

export type PaymentRequestView = PaymentsInternalComponents['schemas']['PaymentRequest'];

/** What leaves the service about a payment request: never the applicant's identifier. */
export function toPaymentRequestView(request: PaymentRequestEntity): PaymentRequestView {
  return {
    id: request.id,
    applicationId: request.applicationId,
    attempt: request.attempt,
    aisPaymentId: request.aisPaymentId,
    paymentSystemId: request.paymentSystemId,
    districtCode: request.districtCode,
    serviceNumber: request.serviceNumber,
    urgency: request.urgency as PaymentRequestView['urgency'],
    amountMinor: request.amountMinor,
    currency: request.currency,
    status: request.status,
    statusChangedAt: request.statusChangedAt?.toISOString() ?? null,
    expiresAt: request.expiresAt.toISOString(),
    createdAt: request.createdAt.toISOString(),
    accessCode: request.accessCode,
    rejectionReasons: request.rejectionReasons,
    problem: request.problem,
  };
}
