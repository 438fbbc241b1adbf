import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import type { DistrictPrincipal } from './district-principal';

/** The authenticated district of the request. */
export const CurrentDistrict = createParamDecorator(
  (_data: unknown, context: ExecutionContext): DistrictPrincipal =>
    context.switchToHttp().getRequest<Request & { user: DistrictPrincipal }>().user,
);
