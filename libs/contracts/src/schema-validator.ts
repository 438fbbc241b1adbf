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

/** At most this many errors are reported for one value. */
export const maxReportedErrors = 50;
/**
 * Values with more nodes (objects, arrays and scalars) than this are checked stopping at their first
 * error: collecting every error of a hostile value costs time in proportion to its size, and nobody
 * needs the ten-thousandth error of a list.
 */
export const maxNodesForAllErrors = 2_000;

// One Ajv instance per error mode and one compiled validator per schema and mode for the whole process.
// Every value is first checked stopping at its first error (linear, and fast for valid values).
const firstErrorAjv = new Ajv2020({ strict: false, allErrors: false });
const allErrorsAjv = new Ajv2020({ strict: false, allErrors: true });
// Query and path parameters arrive as text: these convert `"20"` to 20 and `"true"` to true as the
// schema asks, wrap a single value in an array, and fill in the contract's defaults.
const parameterOptions = { strict: false, coerceTypes: 'array', useDefaults: true } as const;
const firstErrorParameterAjv = new Ajv2020({ ...parameterOptions, allErrors: false });
const allErrorsParameterAjv = new Ajv2020({ ...parameterOptions, allErrors: true });
for (const ajv of [firstErrorAjv, allErrorsAjv, firstErrorParameterAjv, allErrorsParameterAjv]) addFormats(ajv);
const validators = new Map<string, ValidateFunction>();
const schemas: Record<string, object> = contractSchemas.schemas;

/**
 * Validates values against the contract's JSON Schemas (district API bodies and Kafka payloads) in
 * time linear in the value's size, with at most `maxReportedErrors` errors.
 */
export class SchemaValidator {
  /** Whether the contracts have a schema of this name. */
  has(schemaName: string): boolean {
    return Object.hasOwn(schemas, schemaName);
  }

  validate<T = unknown>(schemaName: SchemaName, value: unknown): ValidationResult<T> {
    return check<T>(schemaName, value, firstErrorAjv, allErrorsAjv, 'body');
  }

  /**
   * Validates query or path parameters (`<api>.<operationId>.query|path`) as they come from the
   * URL: text converted to the schema's types, a comma-separated value split where the schema
   * wants an array, defaults filled in. The value is a copy holding only the declared parameters.
   */
  validateParameters<T = Record<string, unknown>>(schemaName: SchemaName, raw: unknown): ValidationResult<T> {
    const schema = schemas[schemaName] as { properties?: Record<string, { type?: unknown }> } | undefined;
    const declared = schema?.properties ?? {};
    const source = raw !== null && typeof raw === 'object' ? (raw as Record<string, unknown>) : {};
    const copy: Record<string, unknown> = {};
    for (const [name, parameter] of Object.entries(declared)) {
      if (!Object.hasOwn(source, name)) continue;
      const value = source[name];
      copy[name] = parameter.type === 'array' && typeof value === 'string' ? value.split(',') : value;
    }
    return check<T>(schemaName, copy, firstErrorParameterAjv, allErrorsParameterAjv, 'parameters');
  }
}

function check<T>(
  schemaName: SchemaName,
  value: unknown,
  firstAjv: Ajv2020,
  allAjv: Ajv2020,
  kind: string,
): ValidationResult<T> {
  const firstError = validatorFor(schemaName, firstAjv, `${kind}:first`);
  if (firstError(value)) return { ok: true, value: value as T };
  const detailed = hasAtMostNodes(value, maxNodesForAllErrors)
    ? validatorFor(schemaName, allAjv, `${kind}:all`)
    : firstError;
  if (detailed !== firstError) detailed(value);
  return { ok: false, errors: toFieldErrors(detailed.errors ?? firstError.errors ?? []) };
}

function validatorFor(schemaName: SchemaName, ajv: Ajv2020, mode: string): ValidateFunction {
  const key = `${mode}:${schemaName}`;
  let validator = validators.get(key);
  if (!validator) {
    const schema = schemas[schemaName];
    if (!schema) throw new Error(`No contract schema named ${schemaName}`);
    validator = ajv.compile(schema);
    validators.set(key, validator);
  }
  return validator;
}

/**
 * Whether the value has at most `limit` nodes; stops as soon as the nodes seen and waiting pass the
 * limit, so a list of half a million items costs no more than one of two thousand.
 */
function hasAtMostNodes(value: unknown, limit: number): boolean {
  let count = 0;
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const node = pending.pop();
    if (++count > limit) return false;
    if (Array.isArray(node)) {
      if (count + pending.length + node.length > limit) return false;
      for (const item of node) pending.push(item);
    } else if (node !== null && typeof node === 'object') {
      for (const key in node) {
        if (count + pending.length >= limit) return false;
        pending.push((node as Record<string, unknown>)[key]);
      }
    }
  }
  return true;
}

function toFieldErrors(ajvErrors: ErrorObject[]): FieldValidationError[] {
  const nonNull = nullBranchFilter(ajvErrors);
  const precise = ajvErrors.filter((e) => !compositeKeywords.has(e.keyword) && nonNull(e));
  const seen = new Set<string>();
  const errors: FieldValidationError[] = [];
  for (const error of precise.length > 0 ? precise : ajvErrors) {
    const fieldError = toFieldError(error);
    const key = `${fieldError.field}\u0000${fieldError.code}`;
    if (seen.has(key)) continue;
    seen.add(key);
    errors.push(fieldError);
    if (errors.length >= maxReportedErrors) break;
  }
  return errors;
}

/**
 * `oneOf: [X, {type: 'null'}]` reports "must be null" next to the real error at the same place or
 * below it. Counting the precise errors under every path prefix once keeps this linear.
 */
function nullBranchFilter(all: ErrorObject[]): (error: ErrorObject) => boolean {
  const preciseUnder = new Map<string, number>();
  for (const error of all) {
    if (compositeKeywords.has(error.keyword)) continue;
    const segments = error.instancePath.split('/');
    let prefix = '';
    for (let i = 0; i < segments.length; i++) {
      prefix = i === 0 ? segments[0] : `${prefix}/${segments[i]}`;
      preciseUnder.set(prefix, (preciseUnder.get(prefix) ?? 0) + 1);
    }
  }
  // The null-type error counts itself at its own path: another precise error there or below makes two.
  return (error) =>
    !(error.keyword === 'type' && error.params.type === 'null' && (preciseUnder.get(error.instancePath) ?? 0) > 1);
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
