import type { FieldError } from './problem-details';

/**
 * The one exception the HTTP edge turns into problem+json. Domain errors of each service are
 * translated into it in one place per service.
 */
export class ProblemException extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly title: string,
    readonly detail?: string,
    readonly errors?: FieldError[],
    readonly headers?: Record<string, string>,
  ) {
    super(detail ?? title);
    this.name = 'ProblemException';
  }
}
