import { Inject, Injectable } from '@nestjs/common';
import type { GatewayConfig } from '../config';
import { GATEWAY_CONFIG } from '../gateway-config.token';
import { AuthenticationError, AuthenticationErrorCode } from '../auth/authentication-error';
import { OperatorAccounts } from './operator-accounts';
import type { OperatorPrincipal } from './operator-principal';

type OpenIdClient = typeof import('openid-client');
type ProviderConfiguration = Awaited<ReturnType<OpenIdClient['discovery']>>;

/** What the browser keeps (in a short-lived HttpOnly cookie) between the redirect and the callback. */
export interface OidcPending {
  state: string;
  nonce: string;
  codeVerifier: string;
}

/**
 * The local account bound to the ID token's issuer and subject. Usernames and e-mail addresses are
 * claims a user may be able to change at the provider, so they never pick the account; the issuer
 * must be the one discovered from OPERATOR_OIDC_ISSUER (openid-client has checked the token's
 * signature, audience, nonce and `iss` against it already).
 */
export async function operatorOfIdentity(
  accounts: Pick<OperatorAccounts, 'byOidcIdentity'>,
  expectedIssuer: string,
  claims: { iss?: unknown; sub?: unknown } | undefined,
): Promise<OperatorPrincipal> {
  const operator =
    claims && claims.iss === expectedIssuer && typeof claims.sub === 'string' && claims.sub.length > 0
      ? await accounts.byOidcIdentity(expectedIssuer, claims.sub)
      : undefined;
  if (!operator) {
    throw new AuthenticationError(AuthenticationErrorCode.InvalidCredentials, 'no operator account for this identity');
  }
  return operator;
}

/**
 * Operator sign-in through the municipality's OpenID Connect provider: authorization code with
 * PKCE, state and nonce (openid-client). The provider says who the operator is (issuer and subject);
 * the role still comes from the local account bound to that identity (`npm run pki -- operator …
 * --oidc-subject`), so roles are managed in one place and an unknown person gets no access.
 */
@Injectable()
export class OperatorOidc {
  private provider: Promise<{ client: OpenIdClient; configuration: ProviderConfiguration }> | undefined;

  constructor(
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    private readonly accounts: OperatorAccounts,
  ) {}

  async authorizationUrl(): Promise<{ url: string; pending: OidcPending }> {
    const { client, configuration } = await this.connect();
    const pending = {
      state: client.randomState(),
      nonce: client.randomNonce(),
      codeVerifier: client.randomPKCECodeVerifier(),
    };
    const url = client.buildAuthorizationUrl(configuration, {
      redirect_uri: this.redirectUri(),
      scope: 'openid profile email',
      code_challenge: await client.calculatePKCECodeChallenge(pending.codeVerifier),
      code_challenge_method: 'S256',
      state: pending.state,
      nonce: pending.nonce,
    });
    return { url: url.href, pending };
  }

  async complete(callbackUrl: URL, pending: OidcPending): Promise<OperatorPrincipal> {
    const { client, configuration } = await this.connect();
    const tokens = await client.authorizationCodeGrant(configuration, callbackUrl, {
      pkceCodeVerifier: pending.codeVerifier,
      expectedState: pending.state,
      expectedNonce: pending.nonce,
      idTokenExpected: true,
    });
    return operatorOfIdentity(this.accounts, configuration.serverMetadata().issuer, tokens.claims());
  }

  private connect() {
    const {
      OPERATOR_OIDC_ISSUER: issuer,
      OPERATOR_OIDC_CLIENT_ID: id,
      OPERATOR_OIDC_CLIENT_SECRET: secret,
    } = this.config;
    if (!issuer || !id || !secret) {
      throw new AuthenticationError(
        AuthenticationErrorCode.OperatorSignInUnavailable,
        'OPERATOR_OIDC_ISSUER is not set',
      );
    }
    this.provider ??= (async () => {
      // Loaded only when OIDC is configured (openid-client is an ES module).
      const client = await import('openid-client');
      return { client, configuration: await client.discovery(new URL(issuer), id, secret) };
    })().catch((error: unknown) => {
      this.provider = undefined;
      throw error;
    });
    return this.provider;
  }

  /**
   * Where the provider sends operators back; the callback's own URL is rebuilt on it, never on the
   * Host header. Outside production (where it must be set) the operator listener on this machine:
   * the mutual TLS listener serves no operator route.
   */
  redirectUri(): string {
    return (
      this.config.OPERATOR_OIDC_REDIRECT_URI ??
      `http://${this.config.HOST}:${this.config.GATEWAY_PORT}/operator/v1/oidc/callback`
    );
  }
}
