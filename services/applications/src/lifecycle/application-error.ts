/** Stable codes of the applications module; clients and the portal switch on these. */
export enum ApplicationErrorCode {
  NotFound = 'application_not_found',
  AttachmentNotFound = 'attachment_not_found',
  TransitionNotAllowed = 'transition_not_allowed',
  VersionMismatch = 'version_mismatch',
  ConcurrentUpdate = 'concurrent_update',
  InvalidRequest = 'invalid_request',
}

export class ApplicationError extends Error {
  constructor(
    readonly code: ApplicationErrorCode,
    message: string,
    readonly details?: { field: string; code: string; message: string }[],
  ) {
    super(message);
    this.name = 'ApplicationError';
  }
}
