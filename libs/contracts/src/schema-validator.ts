import Ajv2020, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import contractSchemas from './generated/schemas.json';
import type { SchemaName } from './generated/schema-names';

/** One thing wrong with one field; the shape of `Problem.errors[]` and of dead-letter reasons. */
export interface FieldValidationError {
  /** Dotted path with array indexes in brackets, e.g. `attachments[0].sha256`; empty for the whole value. */
  field: string;
  /** Stable lower-snake code, e.g. `required`, `invalid_enum`, `too_long`. */
  code: string;
  message: string;
}

export type ValidationResult<T> = { ok: true; value: T } | { ok: false; errors: FieldValidationError[] };

const codeByKeyword: Record<string, string> = {
  required: 'required',
  type: 'invalid_type',
  enum: 'invalid_enum',
  const: 'invalid_value',
  format: 'invalid_format',
  pattern: 'invalid_pattern',
  minLength: 'too_short',
  maxLength: 'too_long',
  minimum: 'too_small',
  exclusiveMinimum: 'too_small',
  maximum: 'too_large',
  exclusiveMaximum: 'too_large',
  minItems: 'too_few_items',
  maxItems: 'too_many_items',
  uniqueItems: 'duplicate_items',
  minProperties: 'too_few_properties',
  maxProperties: 'too_many_properties',
  additionalProperties: 'unknown_field',
  unevaluatedProperties: 'unknown_field',
  multipleOf: 'invalid_value',
  oneOf: 'invalid_value',
  anyOf: 'invalid_value',
  not: 'invalid_value',
};

// Keywords that only repeat, less precisely, what the errors of their subschemas say.
const compositeKeywords = new Set(['oneOf', 'anyOf', 'if']);

// One Ajv instance and one compiled validator per schema for the whole process.
const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
const validators = new Map<SchemaName, ValidateFunction>();
const schemas: Record<string, object> = contractSchemas.schemas;

/** Validates values against the contract's JSON Schemas (district API bodies and Kafka payloads). */
export class SchemaValidator {
  validate<T = unknown>(schemaName: SchemaName, value: unknown): ValidationResult<T> {
    const validator = this.validatorFor(schemaName);
    if (validator(value)) return { ok: true, value: value as T };
    return { ok: false, errors: toFieldErrors(validator.errors ?? []) };
  }

  private validatorFor(schemaName: SchemaName): ValidateFunction {
    let validator = validators.get(schemaName);
    if (!validator) {
      const schema = schemas[schemaName];
      if (!schema) throw new Error(`No contract schema named ${schemaName}`);
      validator = ajv.compile(schema);
      validators.set(schemaName, validator);
    }
    return validator;
  }
}

function toFieldErrors(ajvErrors: ErrorObject[]): FieldValidationError[] {
  const precise = ajvErrors.filter((e) => !compositeKeywords.has(e.keyword) && !isNullBranchOfNullable(e, ajvErrors));
  const errors = (precise.length > 0 ? precise : ajvErrors).map(toFieldError);
  return errors.filter((e, i) => errors.findIndex((o) => o.field === e.field && o.code === e.code) === i);
}

/** `oneOf: [X, {type: 'null'}]` reports "must be null" next to the real error at the same place. */
function isNullBranchOfNullable(error: ErrorObject, all: ErrorObject[]): boolean {
  return (
    error.keyword === 'type' &&
    error.params.type === 'null' &&
    all.some(
      (other) =>
        other !== error && !compositeKeywords.has(other.keyword) && other.instancePath.startsWith(error.instancePath),
    )
  );
}

function toFieldError(error: ErrorObject): FieldValidationError {
  const property: unknown =
    error.params.missingProperty ?? error.params.additionalProperty ?? error.params.unevaluatedProperty;
  const segments = error.instancePath
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (typeof property === 'string') segments.push(property);
  // Field names come from the input; a NUL in one would stop the rejection being stored (jsonb refuses it).
  const field = segments.reduce((path, s) => (/^\d+$/.test(s) ? `${path}[${s}]` : path ? `${path}.${s}` : s), '');
  return {
    field: field.replaceAll('\u0000', '\uFFFD'),
    code: codeByKeyword[error.keyword] ?? `invalid_${error.keyword.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)}`,
    message: error.message ?? 'is not valid',
  };
}
