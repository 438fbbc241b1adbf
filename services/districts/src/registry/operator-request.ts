import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { RequestWithCaller } from '@umg/platform';
import type { z } from 'zod';
import { DistrictError, DistrictErrorCode } from './district-error';

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

/** Parses a request body against its schema; what is wrong becomes a 400 with every field. */
export function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.infer<S> {
  const result = schema.safeParse(body ?? {});
  if (result.success) return result.data;
  throw new DistrictError(
    DistrictErrorCode.ValidationFailed,
    `${result.error.issues.length} field(s) not valid`,
    result.error.issues.slice(0, 50).map((issue) => ({
      field: issue.path.join('.'),
      code: issue.code,
      message: issue.message,
    })),
  );
}
