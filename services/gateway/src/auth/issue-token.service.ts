import { Inject, Injectable } from '@nestjs/common';
import { ExchangeRecorder, sha256Hex } from '@umg/exchange-log';
import type { GatewayConfig } from '../config';
import { GATEWAY_CONFIG } from '../gateway-config.token';
import { SignInThrottle, type ThrottledKey } from '../operators/sign-in-throttle';
import { AuthenticationError, AuthenticationErrorCode } from './authentication-error';
import { type DistrictScope, isDistrictScope } from './district-scope';
import { DistrictTokens, type IssuedToken } from './district-tokens';
import { OAuthClientAudit } from './oauth-client-audit';
import { OAuthClients } from './oauth-clients';

export interface TokenRequest {
  grantType: string | undefined;
  clientId: string | undefined;
  clientSecret: string | undefined;
  /** Space-separated; absent means every scope the client holds. */
  scope: string | undefined;
  /** The peer address of the connection, for the throttle and the audit. */
  address: string;
}

// Ids come from the input: bounded, and without the NUL PostgreSQL refuses in text.
const clientKey = (clientId: string) => `oauth-client:${clientId.slice(0, 128).replaceAll('\u0000', '\uFFFD')}`;
const addressKey = (address: string) => `oauth-address:${address}`;

/**
 * OAuth2 client credentials (RFC 6749 §4.4): a district's client proves its secret and gets a
 * short-lived token. Failures are counted per client id and per address with the operator sign-in
 * throttle (shared by every instance) and audited; a locked id or address is refused before any
 * hashing, and the hashing itself waits for one of a few slots (secret-hash.ts). Every token issued
 * and every refusal is in the gateway's signed exchange log before the answer goes out, except
 * refusals by a lock (the failures that earned it were), so a locked sprayer cannot fill the log.
 */
@Injectable()
export class IssueTokenService {
  constructor(
    private readonly clients: OAuthClients,
    private readonly tokens: DistrictTokens,
    private readonly throttle: SignInThrottle,
    private readonly audit: OAuthClientAudit,
    private readonly exchanges: ExchangeRecorder,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
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
      if (error instanceof AuthenticationError && error.code !== AuthenticationErrorCode.TooManyClientAuthentications) {
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
    const clientId = request.clientId ?? '';
    const keys: ThrottledKey[] = [
      { key: clientKey(clientId), failures: this.config.OAUTH_TOKEN_CLIENT_FAILURES },
      { key: addressKey(request.address), failures: this.config.OAUTH_TOKEN_ADDRESS_FAILURES },
    ];
    const lockedFor = await this.throttle.lockedForKeys(keys.map(({ key }) => key));
    if (lockedFor > 0) {
      // Not audited one by one: the failures that earned the lock were.
      throw new AuthenticationError(
        AuthenticationErrorCode.TooManyClientAuthentications,
        'too many failed authentications of this client or from this address; try again later',
        undefined,
        lockedFor,
      );
    }
    const client =
      clientId && request.clientSecret ? await this.clients.authenticate(clientId, request.clientSecret) : undefined;
    if (!client) {
      await this.throttle.recordFailureOf(keys, {
        windowSeconds: this.config.OAUTH_TOKEN_WINDOW_SECONDS,
        lockSeconds: this.config.OAUTH_TOKEN_LOCK_SECONDS,
      });
      await this.audit.recordFailure(
        clientId,
        request.address,
        clientId && request.clientSecret ? 'invalid_client' : 'missing_credentials',
      );
      throw new AuthenticationError(AuthenticationErrorCode.InvalidClient, 'unknown client or wrong secret');
    }
    await this.throttle.forget(keys[0]!.key);
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
