/** Stable codes of the applications module; districts and the portal switch on these. */
export enum ApplicationErrorCode {
  NotFound = 'application_not_found',
  AttachmentNotFound = 'attachment_not_found',
  DocumentNotFound = 'document_not_found',
  TransitionNotAllowed = 'transition_not_allowed',
  AlreadyHandedOver = 'already_handed_over',
  VersionMismatch = 'version_mismatch',
  PreconditionRequired = 'precondition_required',
  ConcurrentUpdate = 'concurrent_update',
  RegistrationNumberTaken = 'registration_number_taken',
  ValidationFailed = 'validation_failed',
  InvalidCursor = 'invalid_cursor',
  ResyncRequired = 'resync_required',
  UnsupportedMediaType = 'unsupported_media_type',
  PayloadTooLarge = 'payload_too_large',
  Sha256Mismatch = 'sha256_mismatch',
  FeeUnknown = 'fee_unknown',
}

export interface ApplicationFieldError {
  field: string;
  code: string;
  message: string;
}

export class ApplicationError extends Error {
  constructor(
    readonly code: ApplicationErrorCode,
    message: string,
    readonly details?: ApplicationFieldError[],
  ) {
    super(message);
    this.name = 'ApplicationError';
  }
}
