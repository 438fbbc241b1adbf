import { Controller, Delete, Get, HttpCode, Post, Req, Res, UseGuards } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import type { Request, Response } from 'express';
import { CurrentOperator } from './current-operator.decorator';
import { OperatorAuthGuard } from './operator-auth.guard';
import { OPERATOR_PASSWORD_STRATEGY } from './operator-password.strategy';
import type { OperatorPrincipal } from './operator-principal';
import { RequireRole } from './operator-role';
import { cookieValue, OPERATOR_SESSION_COOKIE, OperatorSessions } from './operator-sessions';

/** Operator sign-in with a local account, the signed-in operator, and sign-out. */
@Controller('operator/v1')
export class OperatorSessionHttpController {
  constructor(private readonly sessions: OperatorSessions) {}

  @Post('session')
  @HttpCode(201)
  @UseGuards(AuthGuard(OPERATOR_PASSWORD_STRATEGY))
  async signIn(
    @CurrentOperator() operator: OperatorPrincipal,
    @Res({ passthrough: true }) response: Response,
  ): Promise<OperatorPrincipal & { expiresIn: number }> {
    const token = await this.sessions.open(operator, 'password');
    setSessionCookie(response, token, this.sessions.lifetimeSeconds);
    return { username: operator.username, role: operator.role, expiresIn: this.sessions.lifetimeSeconds };
  }

  @Get('me')
  @RequireRole('viewer')
  @UseGuards(OperatorAuthGuard)
  me(@CurrentOperator() operator: OperatorPrincipal): OperatorPrincipal {
    return { username: operator.username, role: operator.role };
  }

  @Delete('session')
  @HttpCode(204)
  @RequireRole('viewer')
  @UseGuards(OperatorAuthGuard)
  async signOut(@Req() request: Request, @Res({ passthrough: true }) response: Response): Promise<void> {
    const token = cookieValue(request.header('cookie'), OPERATOR_SESSION_COOKIE);
    if (token) await this.sessions.close(token);
    setSessionCookie(response, '', 0);
  }
}

/**
 * HttpOnly (no script reads it), Secure, SameSite=Strict (no other site can make the browser send
 * it, which is the console's CSRF defence); `__Host-` pins it to this host and path /.
 */
export function setSessionCookie(response: Response, token: string, maxAgeSeconds: number): void {
  response.setHeader(
    'Set-Cookie',
    `${OPERATOR_SESSION_COOKIE}=${token}; Max-Age=${maxAgeSeconds}; Path=/; HttpOnly; Secure; SameSite=Strict`,
  );
}
