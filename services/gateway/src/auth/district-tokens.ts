import { createPrivateKey, createPublicKey, type KeyObject, randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { Inject, Injectable } from '@nestjs/common';
import { calculateJwkThumbprint, exportJWK, jwtVerify, SignJWT } from 'jose';
import { gatewayFiles, type GatewayConfig } from '../config';
import { GATEWAY_CONFIG } from '../gateway-config.token';
import { AuthenticationError, AuthenticationErrorCode } from './authentication-error';
import type { DistrictPrincipal } from './district-principal';
import { type DistrictScope, isDistrictScope } from './district-scope';

export const DISTRICT_API_AUDIENCE = 'umg-district-api';
/** RFC 9068 access-token type, so an ID token or another JWT is never taken for an access token. */
const tokenType = 'at+jwt';

export interface IssuedToken {
  accessToken: string;
  expiresIn: number;
  scope: string;
}

/** Short-lived ES256 access tokens for the district API: issued by /oauth/token, checked on every call. */
@Injectable()
export class DistrictTokens {
  private readonly keys: { privateKey: KeyObject; publicKey: KeyObject } | undefined;
  private keyId: Promise<string> | undefined;

  constructor(@Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig) {
    const file = gatewayFiles(config).oauthSigningKey;
    // Outside production the default key file may be missing: then tokens are simply off.
    if (file && (existsSync(file) || config.NODE_ENV === 'production')) {
      const privateKey = createPrivateKey(readFileSync(file));
      this.keys = { privateKey, publicKey: createPublicKey(privateKey) };
    }
  }

  get enabled(): boolean {
    return this.keys !== undefined;
  }

  async issue(clientId: string, districtCode: string, scopes: readonly DistrictScope[]): Promise<IssuedToken> {
    const keys = this.required();
    const scope = scopes.join(' ');
    const accessToken = await new SignJWT({ district: districtCode, scope })
      .setProtectedHeader({ alg: 'ES256', typ: tokenType, kid: await this.kid() })
      .setIssuer(this.config.OAUTH_ISSUER)
      .setAudience(DISTRICT_API_AUDIENCE)
      .setSubject(clientId)
      .setIssuedAt()
      .setExpirationTime(`${this.config.OAUTH_TOKEN_TTL_SECONDS}s`)
      .setJti(randomUUID())
      .sign(keys.privateKey);
    return { accessToken, expiresIn: this.config.OAUTH_TOKEN_TTL_SECONDS, scope };
  }

  /** Signature, issuer, audience, type, expiry and age; any failure is `invalid_token`. */
  async verify(token: string): Promise<DistrictPrincipal> {
    const keys = this.required();
    try {
      const { payload } = await jwtVerify(token, keys.publicKey, {
        algorithms: ['ES256'],
        issuer: this.config.OAUTH_ISSUER,
        audience: DISTRICT_API_AUDIENCE,
        typ: tokenType,
        maxTokenAge: `${this.config.OAUTH_TOKEN_TTL_SECONDS}s`,
        clockTolerance: 5,
        requiredClaims: ['exp', 'iat', 'jti', 'sub'],
      });
      const district = payload.district;
      const scope = payload.scope;
      if (typeof district !== 'string' || typeof scope !== 'string') throw new Error('district and scope are required');
      return {
        districtCode: district,
        clientId: `${district}:token:${payload.sub!}`,
        credential: 'token',
        scopes: scope.split(' ').filter(isDistrictScope),
      };
    } catch (error) {
      throw new AuthenticationError(
        AuthenticationErrorCode.InvalidToken,
        error instanceof Error ? error.message : 'the token is not valid',
      );
    }
  }

  private required() {
    if (!this.keys) throw new AuthenticationError(AuthenticationErrorCode.InvalidToken, 'tokens are not configured');
    return this.keys;
  }

  private kid(): Promise<string> {
    this.keyId ??= exportJWK(this.required().publicKey).then((jwk) => calculateJwkThumbprint(jwk));
    return this.keyId;
  }
}
