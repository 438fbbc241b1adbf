import { ApplicationError, ApplicationErrorCode } from './application-error';

/** Reads `If-Match: "N"`: a writer must say which version it read. */
export function expectedVersionFrom(ifMatch: string | undefined): number {
  if (!ifMatch) {
    throw new ApplicationError(
      ApplicationErrorCode.PreconditionRequired,
      'send the ETag of the application as If-Match',
    );
  }
  const match = /^"([1-9][0-9]{0,8})"$/.exec(ifMatch.trim());
  if (!match) {
    throw new ApplicationError(ApplicationErrorCode.ValidationFailed, 'If-Match must be an ETag like "4"', [
      { field: 'If-Match', code: 'invalid_format', message: 'expected a quoted version number' },
    ]);
  }
  return Number(match[1]);
}
