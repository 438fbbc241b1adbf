import type { ProblemDetails } from '@umg/problem';
import { ProblemException } from '@umg/problem';

/**
 * A domain service's problem answer passes through to the district unchanged (its status and
 * stable code); a failure to reach the service becomes a 503/504 of our own.
 */
export function upstreamProblem(status: number, body: unknown): ProblemException {
  const problem = body as Partial<ProblemDetails> | undefined;
  if (problem && typeof problem.code === 'string' && typeof problem.title === 'string' && status < 500) {
    return new ProblemException(status, problem.code, problem.title, problem.detail, problem.errors);
  }
  return new ProblemException(502, 'upstream_error', 'A gateway service answered unexpectedly');
}

export function unreachable(error: unknown): ProblemException {
  const code = (error as { code?: unknown } | undefined)?.code;
  const timedOut =
    (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) ||
    // undici's: no answer headers, or a pause in the body, longer than the call's bound.
    code === 'UND_ERR_HEADERS_TIMEOUT' ||
    code === 'UND_ERR_BODY_TIMEOUT';
  return timedOut
    ? new ProblemException(504, 'upstream_timeout', 'A gateway service did not answer in time')
    : new ProblemException(
        503,
        'upstream_unavailable',
        'A gateway service is not reachable; try again shortly',
        undefined,
        undefined,
        {
          'Retry-After': '5',
        },
      );
}

/** The data of a service's answer, or its problem passed on; a service not reached is 503/504. */
export async function upstreamData<T>(
  request: () => Promise<{ data?: T; error?: unknown; response: Response }>,
): Promise<T> {
  let answer: { data?: T; error?: unknown; response: Response };
  try {
    answer = await request();
  } catch (error) {
    throw unreachable(error);
  }
  if (answer.error !== undefined || answer.data === undefined) {
    throw upstreamProblem(answer.response.status, answer.error);
  }
  return answer.data;
}
