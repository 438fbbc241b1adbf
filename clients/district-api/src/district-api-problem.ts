import type { components } from './generated/district-api';

export type Problem = components['schemas']['Problem'];

/**
 * A call the gateway answered with an error: the RFC 9457 problem it sent (or one made from the
 * status when the answer was not problem+json, e.g. from a proxy). `code` is the stable code to
 * branch on (`version_mismatch`, `invalid_client`, …).
 */
export class DistrictApiProblem extends Error {
  readonly status: number;
  readonly code: string;
  readonly problem: Problem;

  constructor(problem: Problem) {
    super(`${problem.status} ${problem.code}: ${problem.detail ?? problem.title}`);
    this.name = 'DistrictApiProblem';
    this.status = problem.status;
    this.code = problem.code;
    this.problem = problem;
  }

  /** The problem in an error answer; the response's body is read (pass a clone to keep it). */
  static async fromResponse(response: Response): Promise<DistrictApiProblem> {
    const text = await response.text().catch(() => '');
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    if (isProblem(body)) return new DistrictApiProblem(body);
    return new DistrictApiProblem({
      type: 'about:blank',
      title: response.statusText || `HTTP ${response.status}`,
      status: response.status,
      code: `http_${response.status}`,
      detail: text.slice(0, 200) || undefined,
      correlationId: response.headers.get('X-Correlation-Id') ?? '',
    });
  }
}

function isProblem(body: unknown): body is Problem {
  if (typeof body !== 'object' || body === null) return false;
  const candidate = body as Record<string, unknown>;
  return typeof candidate.code === 'string' && typeof candidate.status === 'number';
}
