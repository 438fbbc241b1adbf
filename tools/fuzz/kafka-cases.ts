import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import type { ConsumedTopic, JsonSchema } from './contract-model';
import { hostileString, isValid, mutated, notJson } from './schema-arbitraries';

export interface KafkaCase {
  topic: string;
  kind: string;
  partition: number;
  key: string | null;
  headers: Record<string, string>;
  value: Buffer | null;
  /** Consumer groups that must dead-letter it. */
  deadLetterGroups: string[];
  /** Set when the portal must instead hear a SubmissionRejected for this portal application id. */
  rejectionFor?: string;
}

/** Mirrors the intake rule in the AsyncAPI document: a submission that can be answered is answered. */
function answerableSubmission(type: string | undefined, submittedType: string, value: unknown): string | undefined {
  if (type !== submittedType || !value || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const id = (value as { portalApplicationId?: unknown }).portalApplicationId;
  return typeof id === 'string' && /^\S{1,64}$/.test(id) ? id : undefined;
}

/**
 * Malformed messages for one consumed topic: not JSON, empty, unknown or missing `ce_type`,
 * payloads that break their schema, oversized values and odd headers. Every one must end as a
 * dead letter with a reason in each consuming group (or, for an answerable portal submission, as
 * a SubmissionRejected to the portal).
 */
export function kafkaCases(
  topic: ConsumedTopic,
  partitions: number,
  submittedType: string,
  compacted: boolean,
): fc.Arbitrary<KafkaCase> {
  const message = fc.constantFrom(...topic.messages);
  const otherType = fc.constantFrom(
    'bg.sofia.umg.unknown.v1',
    'bg.sofia.umg.application.nonsense.v1',
    'bg.sofia.umg.portal.application-submitted.v2',
    '',
    'x'.repeat(3000),
    "'; DROP TABLE inbox; --",
  );
  type Value = { kind: string; value: Buffer | null; parsed?: unknown; ceType?: string | null; schema: JsonSchema };
  const value: fc.Arbitrary<Value> = message.chain((m) =>
    fc.oneof(
      {
        weight: 6,
        arbitrary: mutated(m.schema)
          .map((mutation) => ({ mutation, text: JSON.stringify(mutation.value) ?? 'null' }))
          .filter(({ text }) => !isValid(m.schema, JSON.parse(text)))
          .map(({ mutation, text }) => ({
            kind: `payload_${mutation.kind}`,
            value: Buffer.from(text),
            parsed: JSON.parse(text) as unknown,
            ceType: m.type,
            schema: m.schema,
          })),
      },
      {
        weight: 2,
        arbitrary: notJson.map((text) => ({
          kind: 'not_json',
          value: Buffer.from(text, 'latin1'),
          ceType: m.type,
          schema: m.schema,
        })),
      },
      {
        weight: 1,
        arbitrary: fc.constantFrom(
          { kind: 'empty', value: null as Buffer | null, ceType: m.type, schema: m.schema },
          { kind: 'empty', value: Buffer.alloc(0), ceType: m.type, schema: m.schema },
        ),
      },
      {
        weight: 1,
        arbitrary: fc.integer({ min: 300_000, max: 900_000 }).map((size) => {
          const parsed = { portalApplicationId: 'x'.repeat(size) };
          return {
            kind: 'oversized',
            value: Buffer.from(JSON.stringify(parsed)),
            parsed,
            ceType: m.type,
            schema: m.schema,
          };
        }),
      },
      {
        weight: 2,
        arbitrary: fc
          .tuple(fc.oneof(fc.constant(null), otherType), fc.jsonValue({ maxDepth: 3 }))
          .map(([ceType, json]) => ({
            kind: ceType === null ? 'ce_type_missing' : 'ce_type_unknown',
            value: Buffer.from(JSON.stringify(json) ?? 'null'),
            parsed: json,
            ceType,
            schema: m.schema,
          })),
      },
    ),
  );
  const oddHeaders = fc.oneof(
    { weight: 4, arbitrary: fc.constant({} as Record<string, string>) },
    fc.record({
      ce_correlationid: hostileString,
      traceparent: fc.constantFrom('garbage', '00-zz-zz-01', ''),
      ce_time: fc.constantFrom('not a time', '9999-99-99', ''),
      'content-type': fc.constantFrom('text/plain', 'application/xml', ''),
      ce_specversion: fc.constantFrom('0.3', '', '99'),
    }),
  );
  return fc
    .record({
      value,
      oddHeaders,
      partition: fc.integer({ min: 0, max: partitions - 1 }),
      key: compacted
        ? fc.oneof(fc.uuid(), hostileString.filter(Boolean))
        : fc.oneof(fc.constant(null), fc.uuid(), hostileString),
      ceId: fc.oneof({ weight: 5, arbitrary: fc.constant('uuid') }, fc.constantFrom('missing', 'hostile')),
    })
    .map((parts) => {
      const headers: Record<string, string> = { ce_source: '/fuzz', ce_specversion: '1.0' };
      Object.assign(headers, parts.oddHeaders);
      const id = randomUUID();
      // Always unique: a repeated ce_id is a redelivery by definition and is absorbed by the inbox.
      if (parts.ceId === 'uuid') headers.ce_id = id;
      if (parts.ceId === 'hostile') headers.ce_id = `' OR 1=1 -- ${id}`;
      if (parts.value.ceType !== null && parts.value.ceType !== undefined) headers.ce_type = parts.value.ceType;
      const kinds = [parts.value.kind];
      if (Object.keys(parts.oddHeaders).length) kinds.push('odd_headers');
      if (parts.ceId !== 'uuid') kinds.push(`ce_id_${parts.ceId}`);
      let value = parts.value.value;
      let rejectionFor = answerableSubmission(headers.ce_type, submittedType, parts.value.parsed);
      let stillInvalid = true;
      if (rejectionFor) {
        // A unique id per case, so its answer can be found (and no earlier case's id is repeated).
        const unique = `FUZZ-${id}`;
        const rewritten = { ...(parts.value.parsed as object), portalApplicationId: unique };
        stillInvalid = !isValid(parts.value.schema, rewritten);
        value = Buffer.from(JSON.stringify(rewritten));
        rejectionFor = unique;
      }
      return {
        topic: topic.topic,
        kind: kinds.join('+'),
        partition: parts.partition,
        key: parts.key,
        headers,
        value,
        deadLetterGroups: rejectionFor ? [] : topic.groups,
        rejectionFor,
        stillInvalid,
      };
    })
    .filter((generated) => generated.stillInvalid)
    .map(({ stillInvalid: _valid, ...generated }) => generated);
}
