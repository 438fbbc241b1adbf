import { type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import type { Request } from 'express';
import { AuthenticationError, AuthenticationErrorCode } from '../auth/authentication-error';
import type { OperatorPrincipal } from './operator-principal';
import { OPERATOR_SESSION_STRATEGY } from './operator-session.strategy';
import { type OperatorRole, REQUIRED_ROLE, roleAllows } from './operator-role';

/**
 * Operator routes: a session is required, and the role named by `@RequireRole` (viewer when the
 * route names none). The principal `{username, role}` is then on `request.user`.
 */
@Injectable()
export class OperatorAuthGuard extends AuthGuard(OPERATOR_SESSION_STRATEGY) {
  constructor(private readonly reflector: Reflector) {
    super();
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    await super.canActivate(context);
    const operator = context.switchToHttp().getRequest<Request & { user: OperatorPrincipal }>().user;
    const required =
      this.reflector.getAllAndOverride<OperatorRole | undefined>(REQUIRED_ROLE, [
        context.getHandler(),
        context.getClass(),
      ]) ?? 'viewer';
    if (!roleAllows(operator.role, required)) {
      throw new AuthenticationError(
        AuthenticationErrorCode.OperatorRoleRequired,
        `this needs the role ${required}; ${operator.username} is ${operator.role}`,
      );
    }
    return true;
  }

  override handleRequest<T>(error: unknown, principal: T): T {
    if (error) throw error;
    if (!principal) {
      throw new AuthenticationError(
        AuthenticationErrorCode.OperatorSessionRequired,
        'sign in at POST /operator/v1/session',
      );
    }
    return principal;
  }
}
