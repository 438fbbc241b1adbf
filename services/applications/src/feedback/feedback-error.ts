/** Stable codes of the feedback module. */
export enum FeedbackErrorCode {
  InvitationNotFound = 'feedback_invitation_not_found',
  InvitationExpired = 'feedback_invitation_expired',
  AlreadyGiven = 'feedback_already_given',
}

export class FeedbackError extends Error {
  constructor(
    readonly code: FeedbackErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'FeedbackError';
  }
}
