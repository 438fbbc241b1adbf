import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { ProblemException } from '@umg/problem';
import type { DistrictPrincipal } from '../auth/district-principal';
import { DistrictRateLimiter } from './district-rate-limiter';

/** Runs after authentication: spends one request of the calling district's allowance, or answers 429. */
@Injectable()
export class DistrictRateLimitGuard implements CanActivate {
  constructor(@Inject(DistrictRateLimiter) private readonly limiter: DistrictRateLimiter) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const http = context.switchToHttp();
    const request = http.getRequest<Request & { user?: DistrictPrincipal }>();
    const response = http.getResponse<Response>();
    const district = request.user?.districtCode ?? 'anonymous';
    return spendAllowance(this.limiter, district, response, `the rate limit of district ${district} is exhausted`);
  }
}

/**
 * Spends one request of `key`'s allowance and sets the RateLimit headers; refuses with the 429
 * problem (stable code too_many_requests, Retry-After) when it is spent.
 */
export async function spendAllowance(
  limiter: DistrictRateLimiter,
  key: string,
  response: Response,
  refusal: string,
): Promise<true> {
  const decision = await limiter.take(key);
  response.setHeader('RateLimit-Limit', String(decision.limit));
  response.setHeader('RateLimit-Remaining', String(decision.remaining));
  if (decision.allowed) return true;
  throw new ProblemException(
    429,
    'too_many_requests',
    'Too many requests',
    `${refusal}; retry after ${decision.retryAfterSeconds} s`,
    undefined,
    { 'Retry-After': String(decision.retryAfterSeconds) },
  );
}
