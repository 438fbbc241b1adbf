import type { DeliveryStatus } from '@umg/contracts';

/** Statuses after which nothing more happens to a delivery. */
export const finalDeliveryStatuses: readonly DeliveryStatus[] = [
  'delivered',
  'send_failure',
  'no_profile',
  'receipt_timeout',
  'blocked_document',
  'desk_collection',
];

export function isFinalDeliveryStatus(status: DeliveryStatus): boolean {
  return finalDeliveryStatuses.includes(status);
}

/** Stable codes of the reasons a delivery records (`Reason.code`). */
export const DeliveryReasonCode = {
  noProfile: 'no_e_delivery_profile',
  deskChannel: 'desk_channel_chosen',
  receiptTimeout: 'no_receipt_in_time',
  eDeliveryUnavailable: 'e_delivery_unavailable',
  eDeliveryRejected: 'e_delivery_rejected',
  invalidRecipient: 'e_delivery_invalid_recipient',
  noSigningIdentity: 'no_e_delivery_signing_identity',
  documentUnavailable: 'document_unavailable',
  documentNotAllowed: 'document_not_allowed',
  documentMalicious: 'document_malicious',
  documentSignatureInvalid: 'document_signature_invalid',
  tooManyAttempts: 'too_many_attempts',
} as const;
