import { isTransientDatabaseError } from '@umg/persistence';
import { ProblemException } from '@umg/problem';

/**
 * A database that is away or has no free connection in time is not the request's fault and not a
 * bug: 503 with Retry-After, so clients back off and retry (the bad-input run saw these as 500s).
 */
export function databaseUnavailable(error: unknown): ProblemException | undefined {
  if (error instanceof ProblemException || !isTransientDatabaseError(error)) return undefined;
  return new ProblemException(
    503,
    'service_unavailable',
    'Service temporarily unavailable',
    'the service could not reach its database in time; retry shortly',
    undefined,
    { 'Retry-After': '1' },
  );
}
