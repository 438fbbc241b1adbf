import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import type { z } from 'zod';
import { DistrictError, DistrictErrorCode } from './district-error';

/** The operator making a change, from `X-Operator-Id` (operator authentication comes with the security issue). */
export const Operator = createParamDecorator((_: unknown, context: ExecutionContext): string => {
  const value = context.switchToHttp().getRequest<Request>().header('x-operator-id')?.trim();
  if (!value || value.length > 128) {
    throw new DistrictError(DistrictErrorCode.OperatorMissing, 'name the operator in the X-Operator-Id header');
  }
  return `operator:${value}`;
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
