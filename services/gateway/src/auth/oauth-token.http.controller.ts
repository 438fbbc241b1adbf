import { Body, Controller, Headers, HttpCode, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { clientAddress } from '../operators/operator-password.strategy';
import { IssueTokenService } from './issue-token.service';
import { InternetFacing } from '@umg/platform';

interface TokenForm {
  grant_type?: string;
  client_id?: string;
  client_secret?: string;
  scope?: string;
}

/** `POST /oauth/token`, form-encoded; the client authenticates by HTTP Basic or by body parameters. */
@InternetFacing()
@Controller('oauth')
export class OAuthTokenHttpController {
  constructor(private readonly tokens: IssueTokenService) {}

  @Post('token')
  @HttpCode(200)
  async token(
    @Body() form: TokenForm,
    @Headers('authorization') authorization: string | undefined,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<{ access_token: string; token_type: 'Bearer'; expires_in: number; scope: string }> {
    const basic = basicCredentials(authorization);
    const issued = await this.tokens.issue({
      grantType: form?.grant_type,
      clientId: basic?.clientId ?? form?.client_id,
      clientSecret: basic?.secret ?? form?.client_secret,
      scope: form?.scope,
      // The socket's address: X-Forwarded-For is not trusted (no proxy is configured as trusted).
      address: clientAddress(request),
    });
    response.setHeader('Cache-Control', 'no-store');
    return {
      access_token: issued.accessToken,
      token_type: 'Bearer',
      expires_in: issued.expiresIn,
      scope: issued.scope,
    };
  }
}

/** RFC 6749 §2.3.1: client id and secret are form-urlencoded before they are joined for Basic. */
function basicCredentials(header: string | undefined): { clientId: string; secret: string } | undefined {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(header ?? '');
  if (!match) return undefined;
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  const unescape = (value: string) => decodeURIComponent(value.replace(/\+/g, ' '));
  try {
    return { clientId: unescape(decoded.slice(0, colon)), secret: unescape(decoded.slice(colon + 1)) };
  } catch {
    return undefined;
  }
}
