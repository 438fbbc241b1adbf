import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { spendAllowance } from '../abuse/district-rate-limit.guard';
import { DistrictRateLimiter } from '../abuse/district-rate-limiter';

/**
 * A public route without sign-in is rate-limited by the caller's address (a token cannot be guessed,
 * only tried): the district API's shared limiter and limits, one allowance per address.
 */
@Injectable()
export class ApplicantRateLimitGuard implements CanActivate {
  constructor(@Inject(DistrictRateLimiter) private readonly limiter: DistrictRateLimiter) {}

  canActivate(context: ExecutionContext): Promise<true> {
    const http = context.switchToHttp();
    const response = http.getResponse<Response>();
    const address = http.getRequest<Request>().ip ?? 'unknown';
    return spendAllowance(this.limiter, `address:${address}`, response, 'too many requests from this address');
  }
}
