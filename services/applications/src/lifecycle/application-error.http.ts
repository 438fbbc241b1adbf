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
    case ApplicationErrorCode.TransitionNotAllowed:
      return problem(409, 'This change is not allowed in the application’s current status');
    case ApplicationErrorCode.VersionMismatch:
      return problem(412, 'The application has changed since it was read');
    case ApplicationErrorCode.ConcurrentUpdate:
      return problem(409, 'Another change to the application was made at the same time');
    case ApplicationErrorCode.InvalidRequest:
      return problem(422, 'The request is not valid');
  }
}
