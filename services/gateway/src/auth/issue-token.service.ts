import { Injectable } from '@nestjs/common';
import { ExchangeRecorder, sha256Hex } from '@umg/exchange-log';
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

/**
 * OAuth2 client credentials (RFC 6749 §4.4): a district's client proves its secret and gets a
 * short-lived token. Every token issued and every refusal (a failed client authentication among
 * them) is in the gateway's signed exchange log before the answer goes out.
 */
@Injectable()
export class IssueTokenService {
  constructor(
    private readonly clients: OAuthClients,
    private readonly tokens: DistrictTokens,
    private readonly exchanges: ExchangeRecorder,
  ) {}

  async issue(request: TokenRequest): Promise<IssuedToken> {
    // The client id as claimed (bounded, it comes from the caller); the secret never.
    const party = `oauth-client:${(request.clientId ?? '').slice(0, 128) || '(none)'}`;
    const exchange = {
      party,
      direction: 'inbound' as const,
      operation: 'POST /oauth/token',
      requestHash: sha256Hex(party),
    };
    try {
      const issued = await this.authenticateAndIssue(request);
      await this.exchanges.recordNow({
        ...exchange,
        outcome: 'issued',
        districtCode: issued.districtCode,
        detail: `scope: ${issued.scope}`,
      });
      return issued;
    } catch (error) {
      if (error instanceof AuthenticationError) {
        await this.exchanges.recordNow({ ...exchange, outcome: `refused: ${error.code}` });
      }
      throw error;
    }
  }

  private async authenticateAndIssue(request: TokenRequest): Promise<IssuedToken & { districtCode: string }> {
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
    return {
      ...(await this.tokens.issue(client.clientId, client.districtCode, scopes)),
      districtCode: client.districtCode,
    };
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
