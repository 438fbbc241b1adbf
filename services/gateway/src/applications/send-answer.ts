import type { Request, Response } from 'express';
import { currentCorrelation } from '@umg/logging';
import { PROBLEM_CONTENT_TYPE } from '@umg/problem';
import type { StoredAnswer } from '../idempotency/stored-answer';

/** Writes a (possibly replayed) answer; problems are rewritten to name the public request. */
export function sendAnswer(request: Request, response: Response, answer: StoredAnswer): void {
  for (const [name, value] of Object.entries(answer.headers)) response.setHeader(name, value);
  if (answer.status >= 400) {
    const problem = {
      ...(answer.body as Record<string, unknown>),
      instance: request.originalUrl,
      correlationId: currentCorrelation()?.correlationId,
    };
    response.status(answer.status).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(problem));
    return;
  }
  response.status(answer.status).json(answer.body);
}
