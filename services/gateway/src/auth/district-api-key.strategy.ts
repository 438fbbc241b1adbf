import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { HeaderAPIKeyStrategy } from 'passport-headerapikey';
import { AuthenticationError, AuthenticationErrorCode } from './authentication-error';
import { DistrictApiKeys } from './district-api-keys';
import type { DistrictPrincipal } from './district-principal';

export const DISTRICT_API_KEY_STRATEGY = 'district-api-key';

/**
 * Passport strategy for the `X-Api-Key` header: the development credential. Outside development
 * and test it has no keys and never authenticates (a presented key is simply not a credential).
 */
@Injectable()
export class DistrictApiKeyStrategy extends PassportStrategy(HeaderAPIKeyStrategy, DISTRICT_API_KEY_STRATEGY) {
  constructor(private readonly keys: DistrictApiKeys) {
    super({ header: 'X-Api-Key', prefix: '' }, false);
  }

  validate(apiKey: string): DistrictPrincipal | null {
    if (!this.keys.enabled) return null;
    const principal = this.keys.resolve(apiKey);
    if (!principal)
      throw new AuthenticationError(AuthenticationErrorCode.InvalidCredentials, 'the API key is not valid');
    return principal;
  }
}
