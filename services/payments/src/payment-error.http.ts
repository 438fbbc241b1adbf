import { ProblemException } from '@umg/problem';
import { PaymentError, PaymentErrorCode } from './payment-error';

/** The one place that says how each payments error reads over HTTP. */
export function paymentErrorToProblem(error: unknown): ProblemException | undefined {
  return error instanceof PaymentError ? toProblem(error) : undefined;
}

function toProblem(error: PaymentError): ProblemException {
  const problem = (status: number, title: string) => new ProblemException(status, error.code, title, error.message);
  switch (error.code) {
    case PaymentErrorCode.MalformedNotification:
      return problem(400, 'The notification is not in the payment system’s format');
    case PaymentErrorCode.UnknownClient:
      return problem(401, 'Unknown client');
    case PaymentErrorCode.InvalidSignature:
      return problem(401, 'The notification’s HMAC does not match');
    case PaymentErrorCode.PaymentRequestNotFound:
      return problem(404, 'Payment request not found');
    case PaymentErrorCode.ReconciliationRunning:
      return problem(409, 'Reconciliation is already running');
    case PaymentErrorCode.PaymentSystemUnavailable:
      return problem(503, 'The payment system is unavailable');
    case PaymentErrorCode.ValidationFailed:
      return problem(400, 'The request is not valid');
    case PaymentErrorCode.PaymentNotPending:
      return problem(409, 'The payment request is not waiting for payment');
    case PaymentErrorCode.NothingToRetry:
      return problem(409, 'Nothing to retry');
    case PaymentErrorCode.FeeServiceUnknown:
      return problem(404, 'No such service in the catalogue');
    case PaymentErrorCode.FeeChangeNotFound:
      return problem(404, 'No such fee change');
    case PaymentErrorCode.FeeUrgencyNotOffered:
      return problem(422, 'The service is not offered at this urgency, or the catalogue knows no paid fee for it');
    case PaymentErrorCode.FeeDistrictUnknown:
      return problem(422, 'No such district');
    case PaymentErrorCode.FeeEffectiveInPast:
      return problem(422, 'A fee change cannot take effect in the past');
    case PaymentErrorCode.FeeEffectiveInvalid:
      return problem(400, 'The effective date is not a date or a date-time with an offset');
    case PaymentErrorCode.FeeChangeNotScheduled:
      return problem(409, 'Only a scheduled change can be cancelled');
  }
}
