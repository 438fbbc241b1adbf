import { type CanActivate, type ExecutionContext, NotFoundException } from '@nestjs/common';
import type { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { listenerAudienceOf } from './listener-audience';

/**
 * Serves each route only on the listeners meant for it, decided by the listener that accepted the
 * request and the route's metadata: a listener with an audience serves only the routes marked for
 * it; the main port serves everything except routes an exclusive audience keeps for itself. Any
 * other pairing answers exactly as an unknown route does (404 `not_found`), so a listener says
 * nothing about routes it does not serve. The first global guard (ServicePlatformModule), so it runs
 * before authentication.
 */
export class ListenerGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    /** Metadata keys of routes served only on their own listener (e.g. public callbacks). */
    private readonly exclusiveRoutes: string[],
  ) {}

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const request = context.switchToHttp().getRequest<Request>();
    const marked = (key: string) =>
      this.reflector.getAllAndOverride<boolean | undefined>(key, [context.getHandler(), context.getClass()]) === true;
    const audience = listenerAudienceOf(request);
    const served = audience ? marked(audience.serves) : !this.exclusiveRoutes.some(marked);
    // The same words as NestJS's own answer to a route that does not exist.
    if (!served) throw new NotFoundException(`Cannot ${request.method} ${request.originalUrl}`);
    return true;
  }
}
