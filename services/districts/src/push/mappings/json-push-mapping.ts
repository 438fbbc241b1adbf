import jsonata from 'jsonata';
import { z } from 'zod';
import type { BackOfficeAnswer } from '../back-office-answer';
import type { BackOfficePushKind, PushMessage } from '../pushed-application';
import { gatewayAnswerSchema, toBackOfficeAnswer } from './answered-result';

const expression = z.string().trim().min(1).max(20_000);
const pushKinds = ['application', 'status_change', 'deadline_alert'] as const satisfies readonly BackOfficePushKind[];

/**
 * A push_json district's own wire format, described as JSONata expressions: one request per push
 * kind (or a default) over the gateway's PushMessage, and one answer expression from the
 * district's answer back to the gateway's terms. Code tables are lookup objects the expressions
 * read as `$codes.<table>`; the answer expression also sees the push it answers as `$request`.
 */
export const jsonPushMappingSchema = z
  .object({
    request: z
      .object({
        application: expression.optional(),
        status_change: expression.optional(),
        deadline_alert: expression.optional(),
        default: expression.optional(),
      })
      .strict()
      .refine((request) => request.default !== undefined || pushKinds.every((kind) => request[kind] !== undefined), {
        message: 'give a request expression for every push kind, or a default',
      }),
    answer: expression,
    codeTables: z
      .record(
        z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,63}$/, 'a table name'),
        z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
      )
      .default({}),
  })
  .strict();

export type JsonPushMapping = z.infer<typeof jsonPushMappingSchema>;

/** Which expression failed and why; the push is parked with it, the profile change refused with it. */
export class MappingFailure extends Error {
  constructor(
    readonly expression: string,
    message: string,
  ) {
    super(`${expression}: ${message}`);
    this.name = 'MappingFailure';
  }
}

/** Bounds on one evaluation, so a bad mapping cannot hang the push worker. */
const evaluationLimits = { timeout: 1000, stack: 300, sequence: 10_000 };
const cacheLimit = 500;
const compiled = new Map<string, jsonata.Expression>();

/**
 * An expression compiled once: the cache is keyed by its text, so a profile version's expressions
 * compile on first use and a new version's on its first push.
 */
function compile(name: string, text: string): jsonata.Expression {
  const known = compiled.get(text);
  if (known) return known;
  let expression: jsonata.Expression;
  try {
    expression = jsonata(text, evaluationLimits);
  } catch (error) {
    throw new MappingFailure(name, `does not compile: ${messageOf(error)}`);
  }
  if (compiled.size >= cacheLimit) compiled.delete(compiled.keys().next().value!);
  compiled.set(text, expression);
  return expression;
}

async function evaluate(name: string, text: string, input: unknown, bindings: Record<string, unknown>) {
  const expression = compile(name, text);
  let output: unknown;
  try {
    output = await expression.evaluate(input, bindings);
  } catch (error) {
    throw new MappingFailure(name, `fails: ${messageOf(error)}`);
  }
  // JSONata sequences and functions are not JSON: what goes on the wire is their JSON form.
  return output === undefined ? undefined : (JSON.parse(JSON.stringify(output)) as unknown);
}

function messageOf(error: unknown): string {
  if (error && typeof error === 'object' && 'message' in error) {
    const { message, code, position } = error as { message: string; code?: string; position?: number };
    return `${message}${code ? ` (${code}${position !== undefined ? ` at ${position}` : ''})` : ''}`;
  }
  return String(error);
}

/** The expression that builds the request of a push kind. */
export function requestExpressionOf(
  mapping: JsonPushMapping,
  kind: BackOfficePushKind,
): { name: string; text: string } {
  const own = mapping.request[kind];
  if (own) return { name: `mapping.request.${kind}`, text: own };
  return { name: 'mapping.request.default', text: mapping.request.default! };
}

/** Every expression of the mapping compiled; the first that does not compile is reported. */
export function compileAll(mapping: JsonPushMapping): MappingFailure[] {
  const failures: MappingFailure[] = [];
  const named: [string, string | undefined][] = [
    ...Object.entries(mapping.request).map(([kind, text]) => [`mapping.request.${kind}`, text] as [string, string]),
    ['mapping.answer', mapping.answer],
  ];
  for (const [name, text] of named) {
    if (text === undefined) continue;
    try {
      compile(name, text);
    } catch (error) {
      if (error instanceof MappingFailure) failures.push(error);
      else throw error;
    }
  }
  return failures;
}

/** The body the district expects for this push: a JSON object or array. */
export async function mappedRequest(mapping: JsonPushMapping, message: PushMessage): Promise<unknown> {
  // A change notice goes to a pull district's webhook in the gateway's own shape, never by a mapping.
  if (message.kind === 'change') throw new MappingFailure('mapping.request', 'a change notice is not mapped');
  const { name, text } = requestExpressionOf(mapping, message.kind);
  const body = await evaluate(name, text, message, { codes: mapping.codeTables });
  if (body === null || typeof body !== 'object') {
    throw new MappingFailure(name, `produced ${body === undefined ? 'nothing' : typeof body}, not a JSON object`);
  }
  return body;
}

/** The district's answer in the gateway's terms, or why it cannot be. */
export async function mappedAnswer(
  mapping: JsonPushMapping,
  answerBody: unknown,
  message: PushMessage,
): Promise<BackOfficeAnswer> {
  const output = await evaluate('mapping.answer', mapping.answer, answerBody, {
    codes: mapping.codeTables,
    request: message,
  });
  const parsed = gatewayAnswerSchema.safeParse(singletonsAsArrays(output));
  if (!parsed.success) {
    const issues = parsed.error.issues
      .slice(0, 5)
      .map((issue) => `${issue.path.join('.') || 'answer'}: ${issue.message}`)
      .join('; ');
    throw new MappingFailure('mapping.answer', `does not produce a valid answer: ${issues}`);
  }
  return toBackOfficeAnswer(parsed.data);
}

/** JSONata gives a one-element sequence as the element itself: `reasons` is a list all the same. */
function singletonsAsArrays(output: unknown): unknown {
  if (!output || typeof output !== 'object' || Array.isArray(output)) return output;
  const answer = { ...(output as Record<string, unknown>) };
  if (answer.reasons && !Array.isArray(answer.reasons)) answer.reasons = [answer.reasons];
  const result = answer.result as Record<string, unknown> | undefined;
  if (result && typeof result === 'object' && result.reasons && !Array.isArray(result.reasons)) {
    answer.result = { ...result, reasons: [result.reasons] };
  }
  return answer;
}
