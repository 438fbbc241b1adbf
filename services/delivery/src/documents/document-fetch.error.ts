/**
 * A document could not be taken from the applications service. `transient`: try again later
 * (unreachable, 5xx, not there yet, damaged in transit); otherwise the document itself is not
 * deliverable (media type not allowed, too large).
 */
export class DocumentFetchError extends Error {
  constructor(
    readonly transient: boolean,
    message: string,
  ) {
    super(message);
    this.name = 'DocumentFetchError';
  }
}
