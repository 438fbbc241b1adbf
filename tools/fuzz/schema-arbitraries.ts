import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import fc from 'fast-check';
import type { JsonSchema } from './contract-model';

/**
 * fast-check arbitraries derived from JSON Schemas: values that follow a schema (the base every
 * malformed variant starts from) and the ways to break one.
 */

const ajv = new Ajv2020({ strict: false });
addFormats(ajv);
const compiled = new Map<JsonSchema, ValidateFunction>();

/** Whether a value follows the schema (the services validate with Ajv too, so this is their verdict). */
export function isValid(schema: JsonSchema, value: unknown): boolean {
  let validate = compiled.get(schema);
  if (!validate) {
    validate = ajv.compile(schema);
    compiled.set(schema, validate);
  }
  return validate(value);
}

/** Strings that have hurt parsers, routers and databases before. */
export const hostileStrings: readonly string[] = [
  '../../../../etc/passwd',
  '..%2F..%2F..%2Fetc%2Fpasswd',
  '..\\..\\windows\\win.ini',
  '%00',
  'a\u0000b',
  "' OR '1'='1",
  "'; DROP TABLE applications; --",
  '1; SELECT pg_sleep(5)',
  '" OR ""="',
  '$(reboot)',
  '`id`',
  '<script>alert(1)</script>',
  '{{7*7}}',
  '${jndi:ldap://example.invalid/a}',
  '__proto__',
  'constructor',
  'null',
  'undefined',
  'NaN',
  '-1',
  '99999999999999999999999999',
  '1e309',
  '0x7fffffff',
  '\u202Eevil\u202C',
  'zero\u200Bwidth',
  '\uFEFFbom',
  '\uD800',
  'Z\u0351\u0352\u0353\u0354\u0355\u0356\u0357\u0358\u0359\u035A',
  '💩'.repeat(50),
  'Ω≈ç√∫˜µ≤≥÷',
  'ЕГН 8001010000',
  '%',
  '%zz',
  '%E0%A4%A',
  ' ',
  '',
  '\t\r\n',
  '*',
  '/',
  '//',
  '\\',
  '.',
  '..',
  'a'.repeat(5000),
];

export const hostileString = fc.constantFrom(...hostileStrings);

/** Strings no schema should have to accept quietly: odd unicode, controls, very long. */
export const oddString = fc.oneof(
  hostileString,
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.integer({ min: 10_000, max: 200_000 }).map((n) => 'x'.repeat(n)),
);

function types(schema: JsonSchema): string[] {
  const type = schema.type;
  if (Array.isArray(type)) return type as string[];
  if (typeof type === 'string') return [type];
  if (schema.properties || schema.required) return ['object'];
  if (schema.items) return ['array'];
  return [];
}

function patternArbitrary(pattern: string): fc.Arbitrary<string> | undefined {
  try {
    return fc.stringMatching(new RegExp(pattern));
  } catch {
    return undefined;
  }
}

function stringArbitrary(schema: JsonSchema): fc.Arbitrary<string> {
  const min = (schema.minLength as number | undefined) ?? 0;
  const max = Math.max(min, Math.min((schema.maxLength as number | undefined) ?? 30, 60));
  switch (schema.format) {
    case 'uuid':
      return fc.uuid();
    case 'date-time':
      return fc
        .date({ min: new Date('2020-01-01'), max: new Date('2030-01-01'), noInvalidDate: true })
        .map((d) => d.toISOString());
    case 'date':
      return fc
        .date({ min: new Date('2020-01-01'), max: new Date('2030-01-01'), noInvalidDate: true })
        .map((d) => d.toISOString().slice(0, 10));
    case 'email':
      return fc.emailAddress();
    case 'uri':
    case 'uri-reference':
      return fc.webUrl();
  }
  if (typeof schema.pattern === 'string') {
    const matching = patternArbitrary(schema.pattern);
    if (matching) return matching.filter((s) => s.length >= min && s.length <= Math.max(max, min + 64));
  }
  return fc.string({ minLength: min, maxLength: max });
}

/** Values that follow the schema (as far as a generator can; the caller checks with Ajv). */
export function conforming(schema: JsonSchema, depth = 0): fc.Arbitrary<unknown> {
  if (depth > 8) return fc.constant(null);
  if ('const' in schema) return fc.constant(schema.const);
  if (Array.isArray(schema.enum)) return fc.constantFrom(...(schema.enum as unknown[]));
  if (Array.isArray(schema.examples) && schema.examples.length > 0 && depth > 0 && !schema.properties) {
    return fc.oneof(fc.constantFrom(...(schema.examples as unknown[])), conforming({ ...schema, examples: [] }, depth));
  }
  for (const key of ['oneOf', 'anyOf'] as const) {
    const options = schema[key] as JsonSchema[] | undefined;
    if (options?.length) return fc.oneof(...options.map((option) => conforming(option, depth + 1)));
  }
  if (Array.isArray(schema.allOf)) {
    const merged = (schema.allOf as JsonSchema[]).reduce<JsonSchema>(
      (all, part) => ({
        ...all,
        ...part,
        properties: { ...(all.properties as object), ...(part.properties as object) },
        required: [...((all.required as string[]) ?? []), ...((part.required as string[]) ?? [])],
      }),
      { ...schema, allOf: undefined },
    );
    return conforming(merged, depth + 1);
  }
  const [type] = types(schema);
  switch (type) {
    case 'string':
      return stringArbitrary(schema);
    case 'integer':
      return fc.integer({
        min: (schema.minimum as number | undefined) ?? 0,
        max: (schema.maximum as number | undefined) ?? 1_000_000,
      });
    case 'number':
      return fc.double({
        min: (schema.minimum as number | undefined) ?? 0,
        max: (schema.maximum as number | undefined) ?? 1_000_000,
        noNaN: true,
      });
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array': {
      const items = (schema.items as JsonSchema | undefined) ?? {};
      const minLength = (schema.minItems as number | undefined) ?? 0;
      return fc.array(conforming(items, depth + 1), {
        minLength,
        maxLength: Math.max(minLength, Math.min((schema.maxItems as number | undefined) ?? 3, 3)),
      });
    }
    case 'object': {
      const properties = (schema.properties as Record<string, JsonSchema> | undefined) ?? {};
      const required = new Set((schema.required as string[] | undefined) ?? []);
      const model: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [name, property] of Object.entries(properties)) model[name] = conforming(property, depth + 1);
      return fc.record(model, { requiredKeys: [...required].filter((name) => name in model) });
    }
    default:
      return fc.oneof(fc.string({ maxLength: 10 }), fc.integer(), fc.boolean());
  }
}

/** A path inside a value: property names and array indexes. */
type Path = (string | number)[];

function paths(value: unknown, prefix: Path = []): Path[] {
  const found: Path[] = [prefix];
  if (Array.isArray(value)) value.forEach((item, index) => found.push(...paths(item, [...prefix, index])));
  else if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) found.push(...paths(item, [...prefix, key]));
  }
  return found;
}

function setAt(value: unknown, path: Path, replacement: unknown | typeof REMOVE): unknown {
  if (path.length === 0) return replacement === REMOVE ? undefined : replacement;
  const [head, ...rest] = path;
  if (Array.isArray(value)) {
    const copy = [...value];
    if (rest.length === 0 && replacement === REMOVE) copy.splice(head as number, 1);
    else copy[head as number] = setAt(copy[head as number], rest, replacement);
    return copy;
  }
  const copy = { ...(value as Record<string, unknown>) };
  if (rest.length === 0 && replacement === REMOVE) delete copy[head as string];
  else copy[head as string] = setAt(copy[head as string], rest, replacement);
  return copy;
}

const REMOVE = Symbol('remove');

/** A value of some other JSON type than the one at hand. */
const anyOtherValue = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  fc.double(),
  fc.constantFrom(-1, 0, 2 ** 53 + 1, -(2 ** 63), 1e308),
  fc.string({ maxLength: 8 }),
  fc.constant([]),
  fc.constant({}),
  fc.array(fc.integer(), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.integer(), { maxKeys: 3 }),
);

export interface Mutation {
  kind: string;
  value: unknown;
}

/** A schema-following value with one thing broken: a wrong type, a missing or extra field, odd text. */
export function mutated(schema: JsonSchema): fc.Arbitrary<Mutation> {
  return conforming(schema).chain((base) => {
    const all = paths(base);
    const leaves = all.filter((path) => path.length > 0);
    const objectPaths = all.filter((path) => {
      const at = path.reduce<unknown>((v, k) => (v as Record<string | number, unknown>)?.[k], base);
      return at !== null && typeof at === 'object' && !Array.isArray(at);
    });
    const pick = <T>(list: T[]) => fc.constantFrom(...(list.length ? list : [[] as unknown as T]));
    const mutations: fc.Arbitrary<Mutation>[] = [
      fc
        .tuple(pick(leaves.length ? leaves : [[]]), anyOtherValue)
        .map(([path, other]) => ({ kind: 'wrong_type', value: setAt(base, path, other) })),
      pick(leaves.length ? leaves : [[]]).map((path) => ({
        kind: 'missing_field',
        value: path.length ? setAt(base, path, REMOVE) : {},
      })),
      fc
        .tuple(pick(objectPaths.length ? objectPaths : [[]]), fc.oneof(hostileString, fc.string()), fc.jsonValue())
        .map(([path, key, extra]) => {
          const target = path.reduce<unknown>((v, k) => (v as Record<string | number, unknown>)?.[k], base);
          const widened = { ...(target as object), [key || 'extra']: extra };
          return { kind: 'extra_field', value: path.length ? setAt(base, path, widened) : widened };
        }),
      fc
        .tuple(pick(leaves.length ? leaves : [[]]), oddString)
        .map(([path, text]) => ({ kind: 'odd_string', value: setAt(base, path, text) })),
      fc.constantFrom<unknown>(null, [], 'text', 42, true, [base]).map((value) => ({ kind: 'wrong_root', value })),
      fc.integer({ min: 200, max: 3000 }).map((depth) => ({
        kind: 'deep_nesting',
        value: JSON.parse('['.repeat(depth) + ']'.repeat(depth)) as unknown,
      })),
    ];
    return fc.oneof(...mutations);
  });
}

/** Bytes that are not JSON, or JSON only in name. */
export const notJson = fc.oneof(
  fc.constantFrom(
    '{',
    '{"a":',
    '{"a":1,}',
    "{'a':1}",
    '[1,2',
    'NaN',
    '{"a":NaN}',
    '{"a":Infinity}',
    '\uFEFF{}',
    '{"a":"\\ud800"}',
    '{"__proto__":{"polluted":true}}',
    '{"constructor":{"prototype":{"polluted":true}}}',
    '<?xml version="1.0"?><a/>',
    '<!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]><a>&x;</a>',
    'null',
    '""',
    'a=1&b=2',
    '\u0000\u0000',
  ),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 200 }),
  fc.uint8Array({ minLength: 1, maxLength: 200 }).map((bytes) => Buffer.from(bytes).toString('latin1')),
);

export interface HostileSize {
  kind: string;
  /** The JSON text, up to about a megabyte (the body limit). */
  text: string;
}

/**
 * Bodies of the sizes an attacker sends, near and past the caps: long lists of wrong items (what
 * made the old validator's quadratic de-duplication take seconds: `{"reasons":[{},{},…]}`), long
 * lists of scalars, deep nesting, megabyte strings and thousands of unknown fields. Each is put
 * in a schema-following value, at an array property where the schema has one.
 */
export function hostileSized(schema: JsonSchema): fc.Arbitrary<HostileSize> {
  const properties = Object.entries((schema.properties ?? {}) as Record<string, JsonSchema>);
  const arrays = properties.filter(([, property]) => property.type === 'array').map(([name]) => name);
  const names = arrays.length > 0 ? arrays : properties.length > 0 ? properties.map(([name]) => name) : ['items'];
  const within = (base: unknown, name: string, value: string) => {
    const object = base !== null && typeof base === 'object' && !Array.isArray(base) ? base : {};
    const rest = JSON.stringify({ ...object, [name]: undefined });
    return rest === '{}'
      ? `{${JSON.stringify(name)}:${value}}`
      : `${rest.slice(0, -1)},${JSON.stringify(name)}:${value}}`;
  };
  const list = (count: number, item: string) => `[${Array.from({ length: count }, () => item).join(',')}]`;
  return fc.tuple(conforming(schema), fc.constantFrom(...names)).chain(([base, name]) =>
    fc.oneof(
      fc.constantFrom(2_000, 8_000, 16_000, 19_500).map((count) => ({
        kind: `size_list_of_${count}_empty_objects`,
        text: within(base, name, list(count, '{}')),
      })),
      fc.constantFrom(5_000, 30_000, 39_000, 200_000).map((count) => ({
        kind: `size_list_of_${count}_numbers`,
        text: within(base, name, list(count, '1')),
      })),
      fc.constantFrom(1_000, 10_000, 19_500).map((depth) => ({
        kind: `size_nesting_${depth}_deep`,
        text: within(base, name, `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`),
      })),
      fc.constantFrom(100_000, 1_000_000).map((length) => ({
        kind: `size_string_of_${length}`,
        text: within(base, name, JSON.stringify('x'.repeat(length))),
      })),
      fc.constantFrom(5_000, 19_000, 60_000).map((count) => ({
        kind: `size_${count}_unknown_fields`,
        text: `{${Array.from({ length: count }, (_, index) => `"f${index}":1`).join(',')}}`,
      })),
    ),
  );
}
