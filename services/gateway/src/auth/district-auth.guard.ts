import { Injectable } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import { ProblemException } from '@umg/problem';
import { DISTRICT_API_KEY_STRATEGY } from './district-api-key.strategy';

/** Lets through only requests with a valid district credential. */
@Injectable()
export class DistrictAuthGuard extends AuthGuard(DISTRICT_API_KEY_STRATEGY) {
  override handleRequest<T>(error: unknown, principal: T): T {
    if (error) throw error;
    if (!principal) {
      throw new ProblemException(401, 'unauthenticated', 'A district credential is required', undefined, undefined, {
        'WWW-Authenticate': 'ApiKey header="X-Api-Key"',
      });
    }
    return principal;
  }
}
