import { Controller, Get, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { AuthenticationError, AuthenticationErrorCode } from '../auth/authentication-error';
import { type OidcPending, OperatorOidc } from './operator-oidc';
import { setSessionCookie } from './operator-session.http.controller';
import { cookieValue, OperatorSessions } from './operator-sessions';
import { OperatorSignInAudit } from './operator-sign-in-audit';
import { clientAddress } from './operator-password.strategy';

const PENDING_COOKIE = '__Host-umg-oidc-pending';

/**
 * The OpenID Connect option (OPERATOR_OIDC_ISSUER): `login` redirects to the provider, `callback`
 * opens the same operator session as a password sign-in. Not exercised by the tests: there is no
 * identity provider here.
 */
@Controller('operator/v1/oidc')
export class OperatorOidcHttpController {
  constructor(
    private readonly oidc: OperatorOidc,
    private readonly sessions: OperatorSessions,
    private readonly audit: OperatorSignInAudit,
  ) {}

  @Get('login')
  async login(@Res() response: Response): Promise<void> {
    const { url, pending } = await this.oidc.authorizationUrl();
    const value = Buffer.from(JSON.stringify(pending)).toString('base64url');
    // Lax, not Strict: the provider's redirect back is a cross-site navigation.
    response.setHeader('Set-Cookie', `${PENDING_COOKIE}=${value}; Max-Age=600; Path=/; HttpOnly; Secure; SameSite=Lax`);
    response.redirect(302, url);
  }

  @Get('callback')
  async callback(@Req() request: Request, @Res() response: Response): Promise<void> {
    const pending = readPending(cookieValue(request.header('cookie'), PENDING_COOKIE));
    // The configured origin, not the Host header: a forged Host must not choose the redirect URI checked.
    const callbackUrl = new URL(request.originalUrl, this.oidc.redirectUri());
    const address = clientAddress(request);
    const operator = await this.oidc.complete(callbackUrl, pending).catch(async (error: unknown) => {
      await this.audit.record({ username: '(oidc)', address, method: 'oidc', outcome: 'unknown_identity' });
      throw error;
    });
    await this.audit.record({ username: operator.username, address, method: 'oidc', outcome: 'signed_in' });
    const token = await this.sessions.open(operator, 'oidc');
    setSessionCookie(response, token, this.sessions.lifetimeSeconds);
    response.redirect(303, '/');
  }
}

function readPending(value: string | undefined): OidcPending {
  try {
    const pending = JSON.parse(Buffer.from(value ?? '', 'base64url').toString('utf8')) as OidcPending;
    if (pending.state && pending.nonce && pending.codeVerifier) return pending;
  } catch {
    // fall through
  }
  throw new AuthenticationError(AuthenticationErrorCode.InvalidCredentials, 'the sign-in was not started here');
}
