import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { HeaderAPIKeyStrategy } from 'passport-headerapikey';
import { ProblemException } from '@umg/problem';
import { DistrictApiKeys } from './district-api-keys';
import type { DistrictPrincipal } from './district-principal';

export const DISTRICT_API_KEY_STRATEGY = 'district-api-key';

/** Passport strategy for the `X-Api-Key` header (the development credential). */
@Injectable()
export class DistrictApiKeyStrategy extends PassportStrategy(HeaderAPIKeyStrategy, DISTRICT_API_KEY_STRATEGY) {
  constructor(private readonly keys: DistrictApiKeys) {
    super({ header: 'X-Api-Key', prefix: '' }, false);
  }

  validate(apiKey: string): DistrictPrincipal {
    const principal = this.keys.resolve(apiKey);
    if (!principal) throw new ProblemException(401, 'invalid_credentials', 'The API key is not valid');
    return principal;
  }
}
