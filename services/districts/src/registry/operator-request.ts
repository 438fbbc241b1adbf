import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { DistrictError, DistrictErrorCode } from './district-error';

/** The operator making a change, from `X-Operator-Id` (operator authentication comes with the security issue). */
export const Operator = createParamDecorator((_: unknown, context: ExecutionContext): string => {
  const value = context.switchToHttp().getRequest<Request>().header('x-operator-id')?.trim();
  if (!value || value.length > 128) {
    throw new DistrictError(DistrictErrorCode.OperatorMissing, 'name the operator in the X-Operator-Id header');
  }
  return `operator:${value}`;
});
