import {
  type CallHandler,
  type ExecutionContext,
  HttpException,
  Inject,
  Injectable,
  type NestInterceptor,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import { catchError, from, mergeMap, type Observable, throwError } from 'rxjs';
import type { Logger } from '@umg/logging';
import { SERVICE_LOGGER } from '@umg/platform';
import { ProblemException } from '@umg/problem';
import type { OperatorPrincipal } from '../operators/operator-principal';
import { REQUIRED_ROLE } from '../operators/operator-role';
import { auditedRequest } from './audited-request';
import { OperatorActions } from './operator-actions';

const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Every change an operator makes through the operator API (any route with @RequireRole that is
 * not a read) is written to gateway.operator_action with the operator's name, before the answer
 * leaves — whether it succeeded or was refused — so the console's audit shows every step.
 */
@Injectable()
export class OperatorActionAuditInterceptor implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    private readonly actions: OperatorActions,
    @Inject(SERVICE_LOGGER) private readonly logger: Logger,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const request = context.switchToHttp().getRequest<Request & { user?: OperatorPrincipal }>();
    const operatorRoute = this.reflector.getAllAndOverride(REQUIRED_ROLE, [context.getHandler(), context.getClass()]);
    if (!operatorRoute || READS.has(request.method) || !request.user) return next.handle();
    const response = context.switchToHttp().getResponse<Response>();
    return next.handle().pipe(
      mergeMap((answer) => from(this.record(request, response.statusCode, null).then(() => answer))),
      catchError((error: unknown) => {
        const { status, code } = outcomeOf(error);
        return from(this.record(request, status, code)).pipe(mergeMap(() => throwError(() => error)));
      }),
    );
  }

  private async record(request: Request & { user?: OperatorPrincipal }, status: number, problemCode: string | null) {
    const parameters = { ...(request.params as Record<string, string>) };
    const body = request.body as Record<string, unknown> | undefined;
    try {
      await this.actions.record({
        operator: request.user!.username,
        role: request.user!.role,
        method: request.method,
        route: (request.route as { path?: string } | undefined)?.path ?? request.path,
        path: request.originalUrl.split('?')[0]!.slice(0, 500),
        districtCode:
          parameters.districtCode ?? (typeof body?.districtCode === 'string' ? body.districtCode.slice(0, 64) : null),
        parameters,
        request: auditedRequest(body),
        status,
        problemCode,
      });
    } catch (error) {
      // The action itself is done (often in another service); a failed audit write must not turn
      // it into an error for the operator, but it must be seen.
      this.logger.error({ err: error, route: request.originalUrl }, 'operator action not audited');
    }
  }
}

function outcomeOf(error: unknown): { status: number; code: string | null } {
  if (error instanceof ProblemException) return { status: error.status, code: error.code };
  if (error instanceof HttpException) return { status: error.getStatus(), code: null };
  const status = (error as { status?: unknown })?.status;
  return typeof status === 'number' ? { status, code: null } : { status: 500, code: 'internal_error' };
}
