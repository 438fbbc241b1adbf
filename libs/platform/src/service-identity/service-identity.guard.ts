import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { PUBLIC_CALLBACK } from '../public-callback.decorator';
import { CALLABLE_BY, PLATFORM_ENDPOINT } from './callable-by.decorator';
import type { ServiceCaller, ServiceName } from './service-token';
import {
  callerNotAllowed,
  serviceTokenInvalid,
  serviceTokenMissing,
  ServiceTokenVerifier,
} from './service-token-verifier';

/** The verified caller, on the request for the route's handler. */
export interface RequestWithCaller extends Request {
  serviceCaller?: ServiceCaller;
}

/**
 * Deny by default: a route answers only a caller its `@CallableBy(...)` names, proven by a
 * service token. A route that names no caller is refused to everyone, so a new route cannot be
 * left open by forgetting. Public callbacks (authenticated by their own HMAC) and the platform's
 * health and metrics are the only exemptions.
 */
@Injectable()
export class ServiceIdentityGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly verifier: ServiceTokenVerifier,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_CALLBACK, targets)) return true;
    if (this.reflector.getAllAndOverride<boolean>(PLATFORM_ENDPOINT, targets)) return true;
    const allowed = this.reflector.getAllAndOverride<ServiceName[] | undefined>(CALLABLE_BY, targets) ?? [];
    const request = context.switchToHttp().getRequest<RequestWithCaller>();
    const header = request.header('authorization');
    if (!header) throw serviceTokenMissing();
    const [scheme, token, ...rest] = header.split(' ');
    if (scheme?.toLowerCase() !== 'bearer' || !token || rest.length > 0) {
      throw serviceTokenInvalid('expected Authorization: Bearer <token>');
    }
    const caller = await this.verifier.verify(token);
    if (!allowed.includes(caller.service)) {
      throw callerNotAllowed(
        allowed.length === 0
          ? 'this route names no callers, so it answers none'
          : `${caller.service} may not call this route (only ${allowed.join(', ')})`,
      );
    }
    request.serviceCaller = caller;
    return true;
  }
}
