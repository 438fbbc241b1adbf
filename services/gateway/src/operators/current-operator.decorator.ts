import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import type { OperatorPrincipal } from './operator-principal';

/** The signed-in operator of the request. */
export const CurrentOperator = createParamDecorator(
  (_data: unknown, context: ExecutionContext): OperatorPrincipal =>
    context.switchToHttp().getRequest<Request & { user: OperatorPrincipal }>().user,
);
