import { type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import type { Request } from 'express';
import { AuthenticationError, AuthenticationErrorCode } from './authentication-error';
import { CLIENT_CERTIFICATE_STRATEGY } from './client-certificate.strategy';
import { DISTRICT_API_KEY_STRATEGY } from './district-api-key.strategy';
import type { DistrictPrincipal } from './district-principal';
import { type DistrictScope, REQUIRED_SCOPE } from './district-scope';
import { DISTRICT_TOKEN_STRATEGY } from './district-token.strategy';

/**
 * Lets through only requests with a valid district credential — a client certificate, a bearer
 * token, or (development and test only) an API key; the first one present decides — and only when
 * the credential holds the route's scope (`@RequireScope`; a route without one needs
 * `applications:read` for GET and `applications:write` otherwise).
 */
@Injectable()
export class DistrictAuthGuard extends AuthGuard([
  CLIENT_CERTIFICATE_STRATEGY,
  DISTRICT_TOKEN_STRATEGY,
  DISTRICT_API_KEY_STRATEGY,
]) {
  constructor(private readonly reflector: Reflector) {
    super();
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    await super.canActivate(context);
    const request = context.switchToHttp().getRequest<Request & { user: DistrictPrincipal }>();
    const required =
      this.reflector.getAllAndOverride<DistrictScope | undefined>(REQUIRED_SCOPE, [
        context.getHandler(),
        context.getClass(),
      ]) ?? (request.method === 'GET' || request.method === 'HEAD' ? 'applications:read' : 'applications:write');
    if (!request.user.scopes.includes(required)) {
      throw new AuthenticationError(
        AuthenticationErrorCode.InsufficientScope,
        `this operation needs the scope ${required}`,
        required,
      );
    }
    return true;
  }

  override handleRequest<T>(error: unknown, principal: T, _info: unknown, context: ExecutionContext): T {
    if (error) throw error;
    if (!principal) {
      const overTls = Boolean(
        (context.switchToHttp().getRequest<Request>().socket as { encrypted?: boolean }).encrypted,
      );
      throw overTls
        ? new AuthenticationError(
            AuthenticationErrorCode.ClientCertificateRequired,
            'present a client certificate issued by the gateway, or a bearer token',
          )
        : new AuthenticationError(
            AuthenticationErrorCode.Unauthenticated,
            'present a client certificate (HTTPS), a bearer token, or in development an X-Api-Key',
          );
    }
    return principal;
  }
}
