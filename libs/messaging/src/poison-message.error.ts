/**
 * A message that can never be processed (unparseable, fails its schema, refers to nothing): it
 * goes to the dead-letter topic at once instead of being retried.
 */
export class PoisonMessageError extends Error {
  constructor(
    readonly reasonCode: string,
    message: string,
  ) {
    super(message);
    this.name = 'PoisonMessageError';
  }
}
