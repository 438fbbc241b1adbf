import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { ProblemException } from '@umg/problem';
import { DistrictRateLimiter } from '../abuse/district-rate-limiter';

/** The applicants' limiter: the same token bucket as the district API's, one bucket per client address. */
export const APPLICANT_RATE_LIMITER = Symbol('APPLICANT_RATE_LIMITER');

/** A public route without sign-in is rate-limited by the caller's address (a token cannot be guessed, only tried). */
@Injectable()
export class ApplicantRateLimitGuard implements CanActivate {
  constructor(@Inject(APPLICANT_RATE_LIMITER) private readonly limiter: DistrictRateLimiter) {}

  canActivate(context: ExecutionContext): boolean {
    const http = context.switchToHttp();
    const request = http.getRequest<Request>();
    const response = http.getResponse<Response>();
    const decision = this.limiter.take(`address:${request.ip ?? 'unknown'}`);
    response.setHeader('RateLimit-Limit', String(decision.limit));
    response.setHeader('RateLimit-Remaining', String(decision.remaining));
    if (decision.allowed) return true;
    throw new ProblemException(
      429,
      'too_many_requests',
      'Too many requests',
      `too many requests from this address; retry after ${decision.retryAfterSeconds} s`,
      undefined,
      { 'Retry-After': String(decision.retryAfterSeconds) },
    );
  }
}
