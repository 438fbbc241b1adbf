import { ProblemException } from '@umg/problem';
import { FeedbackError, FeedbackErrorCode } from './feedback-error';

/** How each feedback error reads over HTTP. */
export function feedbackErrorToProblem(error: unknown): ProblemException | undefined {
  if (!(error instanceof FeedbackError)) return undefined;
  switch (error.code) {
    case FeedbackErrorCode.InvitationNotFound:
      return new ProblemException(404, error.code, 'No such feedback invitation', error.message);
    case FeedbackErrorCode.InvitationExpired:
      return new ProblemException(410, error.code, 'The feedback invitation has expired', error.message);
    case FeedbackErrorCode.AlreadyGiven:
      return new ProblemException(409, error.code, 'Feedback was already given for this result', error.message);
  }
}
