import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { Request } from 'express';
import { Strategy } from 'passport-custom';
import type { DistrictPrincipal } from './district-principal';
import { DistrictTokens } from './district-tokens';

export const DISTRICT_TOKEN_STRATEGY = 'district-bearer-token';

/** `Authorization: Bearer <access token>` (RFC 6750); no bearer header passes on to the other strategies. */
@Injectable()
export class DistrictTokenStrategy extends PassportStrategy(Strategy, DISTRICT_TOKEN_STRATEGY) {
  constructor(private readonly tokens: DistrictTokens) {
    super();
  }

  async validate(request: Request): Promise<DistrictPrincipal | null> {
    const match = /^Bearer\s+(\S+)$/i.exec(request.header('authorization') ?? '');
    if (!match) return null;
    return this.tokens.verify(match[1]!);
  }
}
