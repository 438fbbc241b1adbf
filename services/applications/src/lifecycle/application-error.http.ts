import { ProblemException } from '@umg/problem';
import { ApplicationError, ApplicationErrorCode } from './application-error';

/** The one place that says how each applications error reads over HTTP. */
export function applicationErrorToProblem(error: unknown): ProblemException | undefined {
  return error instanceof ApplicationError ? toProblem(error) : undefined;
}

function toProblem(error: ApplicationError): ProblemException {
  const problem = (status: number, title: string) =>
    new ProblemException(status, error.code, title, error.message, error.details);
  switch (error.code) {
    case ApplicationErrorCode.NotFound:
      return problem(404, 'Application not found');
    case ApplicationErrorCode.AttachmentNotFound:
      return problem(404, 'Attachment not found');
    case ApplicationErrorCode.DocumentNotFound:
      return problem(404, 'Document not found');
    case ApplicationErrorCode.TransitionNotAllowed:
      return problem(409, 'Transition not allowed');
    case ApplicationErrorCode.AlreadyHandedOver:
      return problem(409, 'Already handed over');
    case ApplicationErrorCode.VersionMismatch:
      return problem(412, 'Version mismatch');
    case ApplicationErrorCode.PreconditionRequired:
      return problem(428, 'If-Match is required');
    case ApplicationErrorCode.ConcurrentUpdate:
      return problem(409, 'Concurrent update');
    case ApplicationErrorCode.RegistrationNumberTaken:
      return problem(409, 'Registration number already used');
    case ApplicationErrorCode.ValidationFailed:
      return problem(400, 'The request is not valid');
    case ApplicationErrorCode.InvalidCursor:
      return problem(400, 'Invalid cursor');
    case ApplicationErrorCode.ResyncRequired:
      return problem(410, 'Resync required');
    case ApplicationErrorCode.UnsupportedMediaType:
      return problem(415, 'Media type not allowed');
    case ApplicationErrorCode.PayloadTooLarge:
      return problem(413, 'Document too large');
    case ApplicationErrorCode.Sha256Mismatch:
      return problem(422, 'SHA-256 mismatch');
    case ApplicationErrorCode.FeeUnknown:
      return problem(422, 'The service’s fee at this urgency is not known');
  }
}
