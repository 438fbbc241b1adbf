import { Injectable } from '@nestjs/common';
import { AuthenticationError, AuthenticationErrorCode } from './authentication-error';
import { type DistrictScope, isDistrictScope } from './district-scope';
import { DistrictTokens, type IssuedToken } from './district-tokens';
import { OAuthClients } from './oauth-clients';

export interface TokenRequest {
  grantType: string | undefined;
  clientId: string | undefined;
  clientSecret: string | undefined;
  /** Space-separated; absent means every scope the client holds. */
  scope: string | undefined;
}

/** OAuth2 client credentials (RFC 6749 §4.4): a district's client proves its secret and gets a short-lived token. */
@Injectable()
export class IssueTokenService {
  constructor(
    private readonly clients: OAuthClients,
    private readonly tokens: DistrictTokens,
  ) {}

  async issue(request: TokenRequest): Promise<IssuedToken> {
    if (request.grantType !== 'client_credentials') {
      throw new AuthenticationError(
        AuthenticationErrorCode.UnsupportedGrantType,
        `grant_type=${request.grantType ?? ''}`,
      );
    }
    if (!this.tokens.enabled) {
      throw new AuthenticationError(AuthenticationErrorCode.InvalidClient, 'OAuth clients are not configured here');
    }
    const client =
      request.clientId && request.clientSecret
        ? await this.clients.authenticate(request.clientId, request.clientSecret)
        : undefined;
    if (!client) throw new AuthenticationError(AuthenticationErrorCode.InvalidClient, 'unknown client or wrong secret');
    const scopes = this.grantedScopes(request.scope, client.scopes);
    return this.tokens.issue(client.clientId, client.districtCode, scopes);
  }

  private grantedScopes(requested: string | undefined, held: readonly DistrictScope[]): DistrictScope[] {
    if (!requested?.trim()) return [...held];
    const asked = requested.trim().split(/\s+/);
    const refused = asked.filter((scope) => !isDistrictScope(scope) || !held.includes(scope));
    if (refused.length > 0) {
      throw new AuthenticationError(AuthenticationErrorCode.InvalidScope, `not granted: ${refused.join(' ')}`);
    }
    return [...new Set(asked)] as DistrictScope[];
  }
}
