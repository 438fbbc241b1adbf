import { ProblemException } from '@umg/problem';
import { DeliveryError, DeliveryErrorCode } from './delivery-error';

/** The one place that says how each delivery error reads over HTTP. */
export function deliveryErrorToProblem(error: unknown): ProblemException | undefined {
  if (!(error instanceof DeliveryError)) return undefined;
  switch (error.code) {
    case DeliveryErrorCode.InvalidRequest:
      return new ProblemException(400, 'validation_failed', 'The request is not valid', error.message, error.details);
    case DeliveryErrorCode.ReceivedDocumentNotFound:
      return new ProblemException(404, error.code, 'Document not found', error.message);
  }
}
