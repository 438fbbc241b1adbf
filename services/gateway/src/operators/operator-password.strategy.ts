import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { Request } from 'express';
import { Strategy } from 'passport-custom';
import { AuthenticationError, AuthenticationErrorCode } from '../auth/authentication-error';
import type { OperatorPrincipal } from './operator-principal';
import { OperatorSignIn } from './operator-sign-in.service';

export const OPERATOR_PASSWORD_STRATEGY = 'operator-password';

/** Username and password of a local operator account, from the JSON body of the sign-in. */
@Injectable()
export class OperatorPasswordStrategy extends PassportStrategy(Strategy, OPERATOR_PASSWORD_STRATEGY) {
  constructor(private readonly signIn: OperatorSignIn) {
    super();
  }

  async validate(request: Request): Promise<OperatorPrincipal> {
    const { username, password } = (request.body ?? {}) as { username?: unknown; password?: unknown };
    if (typeof username !== 'string' || typeof password !== 'string' || password.length > 1024) {
      throw new AuthenticationError(AuthenticationErrorCode.InvalidCredentials, 'wrong username or password');
    }
    // The socket's address: X-Forwarded-For is not trusted (no proxy is configured as trusted).
    return this.signIn.withPassword({ username, address: clientAddress(request) }, password);
  }
}

/** The peer address of the request's connection. */
export function clientAddress(request: Request): string {
  return request.socket.remoteAddress ?? 'unknown';
}
