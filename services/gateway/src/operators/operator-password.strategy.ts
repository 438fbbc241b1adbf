import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { Request } from 'express';
import { Strategy } from 'passport-custom';
import { AuthenticationError, AuthenticationErrorCode } from '../auth/authentication-error';
import { OperatorAccounts } from './operator-accounts';
import type { OperatorPrincipal } from './operator-principal';

export const OPERATOR_PASSWORD_STRATEGY = 'operator-password';

/** Username and password of a local operator account, from the JSON body of the sign-in. */
@Injectable()
export class OperatorPasswordStrategy extends PassportStrategy(Strategy, OPERATOR_PASSWORD_STRATEGY) {
  constructor(private readonly accounts: OperatorAccounts) {
    super();
  }

  async validate(request: Request): Promise<OperatorPrincipal> {
    const { username, password } = (request.body ?? {}) as { username?: unknown; password?: unknown };
    const principal =
      typeof username === 'string' && typeof password === 'string' && password.length <= 1024
        ? await this.accounts.verifyPassword(username, password)
        : undefined;
    if (!principal) {
      throw new AuthenticationError(AuthenticationErrorCode.InvalidCredentials, 'wrong username or password');
    }
    return principal;
  }
}
