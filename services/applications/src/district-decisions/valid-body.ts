import type { SchemaName, SchemaValidator } from '@umg/contracts';
import { ApplicationError, ApplicationErrorCode } from '../lifecycle/application-error';

/** Checks a request body against its contract schema; 400 validation_failed with the fields otherwise. */
export function validBody<T>(validator: SchemaValidator, schema: SchemaName, body: unknown): T {
  const result = validator.validate<T>(schema, body);
  if (result.ok) return result.value;
  throw new ApplicationError(
    ApplicationErrorCode.ValidationFailed,
    `${result.errors.length} field(s) not valid`,
    result.errors.map((error) => ({ field: error.field, code: error.code, message: error.message })),
  );
}
