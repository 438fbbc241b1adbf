import { Body, Param, type PipeTransform, Query } from '@nestjs/common';
import { type ContractOperation, type SchemaName, SchemaValidator, type ValidationResult } from '@umg/contracts';
import { ProblemException } from '@umg/problem';

/** One process-wide validator: its compiled schemas are shared by every pipe. */
const validator = new SchemaValidator();

type Part = 'body' | 'query' | 'path';

/**
 * Checks one input of an operation against the schema generated from its contract, with the
 * contract validator's bounds (linear time, at most 50 errors); what is wrong is a 400
 * `validation_failed` with `errors`. Size and structure caps ran before, in the body parser.
 */
export class ContractInputPipe implements PipeTransform {
  readonly schema: SchemaName;

  constructor(
    operation: ContractOperation,
    private readonly part: Part,
  ) {
    const schema = `${operation}.${part}`;
    // A typo or a contract without that input fails at boot, not at the first request.
    if (!validator.has(schema)) throw new Error(`the contract of ${operation} has no ${part} schema`);
    this.schema = schema as SchemaName;
  }

  transform(value: unknown): unknown {
    return checked(this.schema, this.part, value);
  }
}

/**
 * The same check where a pipe cannot run first, e.g. after a signature over the raw body is
 * verified: `contractInput('districts-internal.receiveBackOfficeDecision', 'body', request.body)`.
 */
export function contractInput<T>(operation: ContractOperation, part: Part, value: unknown): T {
  return checked(new ContractInputPipe(operation, part).schema, part, value) as T;
}

/**
 * A value checked against one named contract schema, for a part of a body that is not JSON itself
 * (the ResultMetadata field of a multipart upload): `contractValue('ResultMetadata', parsed)`.
 */
export function contractValue<T>(schema: SchemaName, value: unknown): T {
  return checked(schema, 'body', value) as T;
}

function checked(schema: SchemaName, part: Part, value: unknown): unknown {
  const result: ValidationResult<unknown> =
    part === 'body'
      ? // No body at all is checked as an empty object: the answer names the required fields.
        validator.validate(schema, value ?? {})
      : validator.validateParameters(schema, value);
  if (result.ok) return result.value;
  throw new ProblemException(
    400,
    'validation_failed',
    'The request is not valid',
    `${result.errors.length} field(s) not valid`,
    result.errors,
  );
}

/** The request body, checked against the operation's contract (`@ContractBody('districts-internal.changeDistrictPhase')`). */
export const ContractBody = (operation: ContractOperation): ParameterDecorator =>
  Body(new ContractInputPipe(operation, 'body'));

/** The query parameters, checked and converted to the contract's types, with its defaults; only declared ones. */
export const ContractQuery = (operation: ContractOperation): ParameterDecorator =>
  Query(new ContractInputPipe(operation, 'query'));

/** The path parameters, checked and converted to the contract's types. */
export const ContractPath = (operation: ContractOperation): ParameterDecorator =>
  Param(new ContractInputPipe(operation, 'path'));
