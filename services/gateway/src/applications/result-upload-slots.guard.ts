import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import type { Response } from 'express';
import { ProblemException } from '@umg/problem';
import type { GatewayConfig } from '../config';
import { GATEWAY_CONFIG } from '../gateway-config.token';

/**
 * Caps the result uploads one gateway instance receives at once (GATEWAY_RESULT_UPLOADS_IN_FLIGHT):
 * beyond it the upload is refused before its body is read, with 503 and Retry-After. Runs after
 * authentication and the district's rate limit, so only a real district's uploads take a slot.
 */
@Injectable()
export class ResultUploadSlotsGuard implements CanActivate {
  private inFlight = 0;

  constructor(@Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig) {}

  canActivate(context: ExecutionContext): boolean {
    if (this.inFlight >= this.config.GATEWAY_RESULT_UPLOADS_IN_FLIGHT) {
      // The unread body is not drained to keep the connection: the connection closes after the answer,
      // so a refused 10 MiB upload costs no reading at all.
      context.switchToHttp().getResponse<Response>().setHeader('Connection', 'close');
      throw new ProblemException(
        503,
        'uploads_busy',
        'Too many result uploads in progress; try again shortly',
        `this gateway instance receives at most ${this.config.GATEWAY_RESULT_UPLOADS_IN_FLIGHT} uploads at once`,
        undefined,
        { 'Retry-After': '2' },
      );
    }
    this.inFlight += 1;
    // The slot is held until the exchange ends, however it ends.
    context
      .switchToHttp()
      .getResponse<Response>()
      .once('close', () => (this.inFlight -= 1));
    return true;
  }
}
