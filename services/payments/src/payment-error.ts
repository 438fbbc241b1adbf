/** Stable codes of the payments module; the payment system and operators switch on these. */
export enum PaymentErrorCode {
  MalformedNotification = 'malformed_notification',
  UnknownClient = 'unknown_client',
  InvalidSignature = 'invalid_signature',
  PaymentRequestNotFound = 'payment_request_not_found',
  ReconciliationRunning = 'reconciliation_running',
  PaymentSystemUnavailable = 'payment_system_unavailable',
  ValidationFailed = 'validation_failed',
  PaymentNotPending = 'payment_not_pending',
  NothingToRetry = 'nothing_to_retry',
  FeeServiceUnknown = 'fee_service_unknown',
  FeeUrgencyNotOffered = 'fee_urgency_not_offered',
  FeeDistrictUnknown = 'fee_district_unknown',
  FeeEffectiveInPast = 'fee_effective_in_past',
  FeeEffectiveInvalid = 'fee_effective_invalid',
  FeeChangeNotFound = 'fee_change_not_found',
  FeeChangeNotScheduled = 'fee_change_not_scheduled',
}

export class PaymentError extends Error {
  constructor(
    readonly code: PaymentErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'PaymentError';
  }
}
