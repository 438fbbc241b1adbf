import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { RequestWithCaller } from '@umg/platform';
import { DistrictError, DistrictErrorCode } from './district/district-error';

/**
 * The operator making a change, as the audit names them: only from the `operator` claim of the
 * gateway's verified service token (taken from the operator's session), never from a header.
 */
export const Operator = createParamDecorator((_: unknown, context: ExecutionContext): string => {
  const operator = context.switchToHttp().getRequest<RequestWithCaller>().serviceCaller?.operator;
  if (!operator) {
    throw new DistrictError(
      DistrictErrorCode.OperatorMissing,
      'an operator change must carry the operator claim of the gateway’s service token',
    );
  }
  return `operator:${operator.id}`;
});
