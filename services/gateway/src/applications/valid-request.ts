import type { SchemaName, SchemaValidator } from '@umg/contracts';
import { ProblemException } from '@umg/problem';

/** The gateway's edge check of a request body against the contract: 400 validation_failed otherwise. */
export function validRequest<T>(validator: SchemaValidator, schema: SchemaName, body: unknown): T {
  const result = validator.validate<T>(schema, body);
  if (result.ok) return result.value;
  throw new ProblemException(
    400,
    'validation_failed',
    'The request is not valid',
    `${result.errors.length} field(s) not valid`,
    result.errors,
  );
}
