import { createHash, createHmac, randomUUID } from 'node:crypto';
import fc from 'fast-check';
import type { JsonSchema, Operation, Parameter } from './contract-model';
import { conforming, hostileSized, hostileString, isValid, mutated, notJson, oddString } from './schema-arbitraries';

/** Which process answers an operation: the gateway, or the services the outside calls directly. */
export type Target = 'gateway' | 'payments' | 'districts';

export interface HttpCase {
  operation: string;
  target: Target;
  /** What was broken, for the report. */
  kind: string;
  method: string;
  /** The raw request target (path and query), sent as is. */
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
  /** Whether the input is invalid by construction (a write that must be refused). */
  mustReject: boolean;
}

/** What the run knows about the system it fuzzes: credentials and a few real rows to aim at. */
export interface HttpFixtures {
  districtCode: string;
  districtApiKey: string;
  /** Applications of that district, routed, with an attachment each. */
  applications: { id: string; attachmentId: string }[];
  operatorCookie: string;
  operatorUsername: string;
  paymentClientId: string;
  /** A push district and the secret its back office signs with. */
  backOffice: { districtCode: string; secret: string };
}

/** The public operations and who answers them (the callbacks are reached through the ingress). */
export function targetOf(operation: Operation): Target {
  if (operation.document === 'payments-internal') return 'payments';
  if (operation.document === 'districts-internal') return 'districts';
  return 'gateway';
}

/** Percent-encoding of the UTF-8 bytes (lone surrogates included, which encodeURIComponent refuses). */
function percent(value: string, keep: RegExp): string {
  let out = '';
  for (const char of value) {
    if (keep.test(char)) out += char;
    else for (const byte of Buffer.from(char, 'utf8')) out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}
const encode = (value: string) => percent(value, /^[A-Za-z0-9._~-]$/);

/** Percent-encodes like a client would, or keeps dots, slashes and percents raw like an attacker would. */
const encoded = (value: string) => fc.constantFrom(encode(value), percent(value, /^[A-Za-z0-9._~\-/%!$&'()*+,;=:@]$/));

function pathValue(parameter: Parameter, real: string | undefined): fc.Arbitrary<string> {
  const options: fc.Arbitrary<string>[] = [
    hostileString.chain(encoded),
    oddString.map((s) => s.slice(0, 3000)).chain(encoded),
    conforming(parameter.schema).map((v) => encode(String(v))),
  ];
  if (real) options.push(fc.constant(real), fc.constant(real), fc.constant(real.toUpperCase()));
  return fc.oneof(...options);
}

function realPathValue(name: string, fixtures: HttpFixtures, operation: Operation): fc.Arbitrary<string | undefined> {
  if (name === 'applicationId') return fc.constantFrom(...fixtures.applications.map((a) => a.id));
  if (name === 'attachmentId') return fc.constantFrom(...fixtures.applications.map((a) => a.attachmentId));
  if (name === 'districtCode')
    return fc.constant(operation.document === 'districts-internal' ? fixtures.backOffice.districtCode : 'serdika');
  if (name === 'pushId') return fc.constantFrom('1', '2', '999999');
  return fc.constant(undefined);
}

function queryPart(parameter: Parameter): fc.Arbitrary<string | undefined> {
  const name = encode(parameter.name);
  const good = conforming(parameter.schema).map((value) =>
    Array.isArray(value)
      ? value.map((item) => `${name}=${encode(String(item))}`).join('&')
      : `${name}=${encode(String(value))}`,
  );
  return fc.oneof(
    fc.constant(undefined),
    good,
    hostileString.chain(encoded).map((v) => `${name}=${v}`),
    oddString.map((v) => `${name}=${encode(v.slice(0, 5000))}`),
    fc.constantFrom(
      `${name}[]=1`,
      `${name}[a][b]=1`,
      `${name}=1&${name}=2`,
      `${name}`,
      `${name}=`,
      `${name}=-1`,
      `${name}=1e309`,
      `${name}=0x10`,
      `${name}[__proto__]=x`,
    ),
  );
}

const idempotencyKey = fc.oneof(
  { weight: 3, arbitrary: fc.uuid().map((key) => ({ kind: 'key', value: key as string | undefined })) },
  fc.constantFrom(
    { kind: 'idempotency_key_missing', value: undefined },
    { kind: 'idempotency_key_empty', value: '' },
    { kind: 'idempotency_key_too_long', value: 'k'.repeat(129) },
    { kind: 'idempotency_key_huge', value: 'k'.repeat(8000) },
    { kind: 'idempotency_key_odd', value: "' OR 1=1 --" },
    { kind: 'idempotency_key_odd', value: '\u00ff\u00fe' },
  ),
);

const ifMatch = fc.constantFrom(
  { kind: 'if_match_missing', value: undefined },
  { kind: 'if_match_stale', value: '"999999"' },
  { kind: 'if_match_garbage', value: 'garbage' },
  { kind: 'if_match_star', value: '*' },
  { kind: 'if_match_weak', value: 'W/"1"' },
  { kind: 'if_match_negative', value: '"-1"' },
  { kind: 'if_match_huge', value: `"${'9'.repeat(400)}"` },
  { kind: 'if_match_list', value: '"1", "2"' },
  { kind: 'if_match_empty', value: '""' },
);

const correlationId = fc.oneof(
  { weight: 4, arbitrary: fc.constant(undefined) },
  fc.constantFrom('bad id with spaces', 'x'.repeat(300), '<script>', "'; --", '\u00e9'),
);

const oddContentType = fc.constantFrom(
  'text/plain',
  'application/xml',
  'application/x-www-form-urlencoded',
  'multipart/form-data',
  'multipart/form-data; boundary=',
  'application/json; charset=utf-16',
  'application/json; charset=nonsense',
  'application/octet-stream',
  'application/problem+json',
  '*/*',
  ';;;',
  'application/json, text/plain',
);

interface BodyVariant {
  kind: string;
  body: Buffer | undefined;
  contentType: string | undefined;
  /** False when the body happens to follow the schema (the case must then be refused for another reason). */
  invalid: boolean;
}

function jsonBody(schema: JsonSchema, contentType: string): fc.Arbitrary<BodyVariant> {
  return fc.oneof(
    {
      weight: 6,
      arbitrary: mutated(schema)
        .map((m) => ({ m, text: JSON.stringify(m.value) ?? 'null' }))
        .map(({ m, text }) => ({
          kind: `body_${m.kind}`,
          body: Buffer.from(text),
          contentType,
          invalid: !isValid(schema, JSON.parse(text)),
        })),
    },
    {
      weight: 2,
      arbitrary: notJson.map((text) => ({
        kind: 'body_not_json',
        body: Buffer.from(text, 'utf8'),
        contentType,
        invalid: true,
      })),
    },
    { weight: 1, arbitrary: fc.constant({ kind: 'body_missing', body: undefined, contentType, invalid: true }) },
    {
      weight: 1,
      arbitrary: fc.tuple(conforming(schema), oddContentType).map(([value, type]) => ({
        kind: 'wrong_content_type',
        body: Buffer.from(JSON.stringify(value) ?? 'null'),
        contentType: type,
        invalid: true,
      })),
    },
    {
      weight: 1,
      arbitrary: conforming(schema).map((value) => ({
        kind: 'no_content_type',
        body: Buffer.from(JSON.stringify(value) ?? 'null'),
        contentType: undefined,
        invalid: true,
      })),
    },
    {
      weight: 2,
      arbitrary: hostileSized(schema).map(({ kind, text }) => ({
        kind: `body_${kind}`,
        body: Buffer.from(text),
        contentType,
        invalid: !isValid(schema, JSON.parse(text)),
      })),
    },
    {
      weight: 1,
      arbitrary: fc.integer({ min: 1_100_000, max: 2_000_000 }).map((size) => ({
        kind: 'body_oversized',
        body: Buffer.from(JSON.stringify({ padding: 'x'.repeat(size) })),
        contentType,
        invalid: true,
      })),
    },
  );
}

function formBody(schema: JsonSchema): fc.Arbitrary<BodyVariant> {
  const form = (value: unknown) =>
    value && typeof value === 'object' && !Array.isArray(value)
      ? new URLSearchParams(
          Object.entries(value as Record<string, unknown>).map(([k, v]): [string, string] => [
            k,
            typeof v === 'string' ? v : (JSON.stringify(v) ?? ''),
          ]),
        ).toString()
      : typeof value === 'string'
        ? value
        : (JSON.stringify(value) ?? '');
  return fc.oneof(
    {
      weight: 5,
      arbitrary: mutated(schema).map((m) => ({
        kind: `form_${m.kind}`,
        body: Buffer.from(form(m.value)),
        contentType: 'application/x-www-form-urlencoded',
        invalid: true,
      })),
    },
    {
      weight: 2,
      arbitrary: notJson.map((text) => ({
        kind: 'form_garbage',
        body: Buffer.from(text),
        contentType: 'application/x-www-form-urlencoded',
        invalid: true,
      })),
    },
    {
      weight: 1,
      arbitrary: fc.tuple(conforming(schema), oddContentType).map(([value, type]) => ({
        kind: 'wrong_content_type',
        body: Buffer.from(form(value)),
        contentType: type,
        invalid: true,
      })),
    },
    {
      weight: 1,
      arbitrary: fc.integer({ min: 1_100_000, max: 1_500_000 }).map((size) => ({
        kind: 'body_oversized',
        body: Buffer.from(`a=${'x'.repeat(size)}`),
        contentType: 'application/x-www-form-urlencoded',
        invalid: true,
      })),
    },
  );
}

/** The result upload: multipart with a metadata part and a document part, broken in one place. */
function multipartBody(schema: JsonSchema): fc.Arbitrary<BodyVariant> {
  const metadataSchema = ((schema.properties as Record<string, JsonSchema>)?.metadata ?? {}) as JsonSchema;
  const boundary = `fuzz${randomUUID().replace(/-/g, '')}`;
  const document = Buffer.from('%PDF-1.4\n%fuzz\n%%EOF\n');
  const sha256 = createHash('sha256').update(document).digest('hex');
  const build = (parts: { name: string; filename?: string; type?: string; content: Buffer | string }[]) =>
    Buffer.concat([
      ...parts.flatMap((part) => [
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="${part.name}"${part.filename ? `; filename="${part.filename}"` : ''}\r\n${part.type ? `Content-Type: ${part.type}\r\n` : ''}\r\n`,
        ),
        Buffer.isBuffer(part.content) ? part.content : Buffer.from(part.content),
        Buffer.from('\r\n'),
      ]),
      Buffer.from(`--${boundary}--\r\n`),
    ]);
  const type = `multipart/form-data; boundary=${boundary}`;
  return fc.oneof(
    mutated(metadataSchema).map((m) => ({
      kind: `metadata_${m.kind}`,
      body: build([
        { name: 'metadata', content: JSON.stringify(m.value) ?? 'null' },
        { name: 'document', filename: 'result.pdf', type: 'application/pdf', content: document },
      ]),
      contentType: type,
      invalid: true,
    })),
    conforming(metadataSchema).map((metadata) => ({
      kind: 'document_missing',
      body: build([{ name: 'metadata', content: JSON.stringify(metadata) }]),
      contentType: type,
      invalid: true,
    })),
    fc.constant({
      kind: 'sha256_mismatch_or_stale',
      body: build([
        {
          name: 'metadata',
          content: JSON.stringify({
            fileName: 'result.pdf',
            mediaType: 'application/pdf',
            sha256: sha256.replace(/^./, sha256[0] === 'a' ? 'b' : 'a'),
          }),
        },
        { name: 'document', filename: 'result.pdf', type: 'application/pdf', content: document },
      ]),
      contentType: type,
      invalid: true,
    }),
    fc.constantFrom(
      {
        kind: 'multipart_no_boundary',
        body: Buffer.from('--x\r\n\r\n--x--'),
        contentType: 'multipart/form-data',
        invalid: true,
      },
      {
        kind: 'multipart_truncated',
        body: Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="metadata"\r\n\r\n{`),
        contentType: type,
        invalid: true,
      },
      {
        kind: 'multipart_extra_files',
        body: build([
          { name: 'document', filename: 'a.pdf', type: 'application/pdf', content: document },
          { name: 'document', filename: 'b.pdf', type: 'application/pdf', content: document },
          { name: 'other', filename: '../../etc/passwd', type: 'text/plain', content: 'x' },
        ]),
        contentType: type,
        invalid: true,
      },
      { kind: 'wrong_content_type', body: Buffer.from('{}'), contentType: 'application/json', invalid: true },
    ),
    notJson.map((text) => ({ kind: 'multipart_garbage', body: Buffer.from(text), contentType: type, invalid: true })),
  );
}

function bodyVariant(operation: Operation): fc.Arbitrary<BodyVariant | undefined> {
  if (!operation.body) return fc.constant(undefined);
  const [[contentType, schema]] = Object.entries(operation.body.content) as [[string, JsonSchema]];
  if (contentType === 'multipart/form-data') return multipartBody(schema);
  if (contentType === 'application/x-www-form-urlencoded') return formBody(schema);
  return jsonBody(schema, contentType);
}

/** Credentials: mostly the real ones (so validation is reached), sometimes broken. */
function credentials(
  operation: Operation,
  fixtures: HttpFixtures,
): fc.Arbitrary<{ kind?: string; headers: Record<string, string> }> {
  if (operation.security.includes('districtApiKey')) {
    return fc.oneof(
      { weight: 12, arbitrary: fc.constant({ headers: { 'x-api-key': fixtures.districtApiKey } }) },
      {
        weight: 1,
        arbitrary: fc
          .constantFrom(
            '',
            'x',
            fixtures.districtApiKey.toUpperCase(),
            `${fixtures.districtApiKey} `,
            "' OR 1=1 --",
            'k'.repeat(5000),
          )
          .map((key) => ({ kind: 'bad_api_key', headers: { 'x-api-key': key } })),
      },
      { weight: 1, arbitrary: fc.constant({ kind: 'no_credentials', headers: {} as Record<string, string> }) },
      {
        weight: 1,
        arbitrary: fc
          .constantFrom(
            'Bearer ',
            'Bearer x.y.z',
            'Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.',
            'Basic Og==',
            'Digest a',
          )
          .map((value) => ({ kind: 'bad_token', headers: { authorization: value } })),
      },
    );
  }
  if (operation.security.includes('operatorSession')) {
    return fc.oneof(
      { weight: 12, arbitrary: fc.constant({ headers: { cookie: fixtures.operatorCookie } }) },
      {
        weight: 2,
        arbitrary: fc
          .constantFrom(
            '__Host-umg-operator-session=',
            '__Host-umg-operator-session=forged',
            'a=b; c',
            '=;=;=',
            `__Host-umg-operator-session=${'x'.repeat(5000)}`,
          )
          .map((cookie) => ({ kind: 'bad_session', headers: { cookie } })),
      },
    );
  }
  return fc.constant({ headers: {} });
}

/**
 * Malformed and hostile requests for one operation. Reads may succeed; every write is broken by
 * construction (invalid body, bad signature, stale If-Match, unknown target, …) and must be refused.
 */
export function httpCases(operation: Operation, fixtures: HttpFixtures): fc.Arbitrary<HttpCase> {
  const pathParameters = operation.parameters.filter((p) => p.in === 'path');
  const queryParameters = operation.parameters.filter((p) => p.in === 'query');
  const isWrite = operation.method !== 'get';
  const pathArb = fc.tuple(
    ...pathParameters.map((parameter) =>
      realPathValue(parameter.name, fixtures, operation).chain((real) =>
        pathValue(parameter, real).map((value) => ({ name: parameter.name, value, real: value === real })),
      ),
    ),
  );
  const queryArb = fc.tuple(
    fc.tuple(...queryParameters.map(queryPart)),
    fc.oneof(
      { weight: 4, arbitrary: fc.constant(undefined) },
      hostileString.map((s) => `${encode(s)}=${encode(s)}`),
    ),
  );
  const needsIdempotency = operation.parameters.some((p) => p.in === 'header' && p.name === 'Idempotency-Key');
  const needsIfMatch = operation.parameters.some((p) => p.in === 'header' && p.name === 'If-Match');

  return fc
    .record({
      path: pathArb,
      query: queryArb,
      body: bodyVariant(operation),
      credentials: credentials(operation, fixtures),
      idempotency: needsIdempotency ? idempotencyKey : fc.constant(undefined),
      ifMatch: needsIfMatch ? ifMatch : fc.constant(undefined),
      correlation: correlationId,
      accept: fc.oneof(
        { weight: 5, arbitrary: fc.constant(undefined) },
        fc.constantFrom('application/xml', 'text/html', '*/*', 'application/octet-stream', ';;;'),
      ),
      signature: fc.constantFrom('valid', 'bad', 'stale', 'missing', 'garbage'),
      formSecret: fc.constantFrom('wrong', 'missing_fields'),
    })
    .map((parts) => {
      let path = operation.path;
      for (const { name, value } of parts.path) path = path.replace(`{${name}}`, value);
      const query = [...parts.query[0], parts.query[1]].filter((q): q is string => Boolean(q)).join('&');
      if (query) path += `?${query}`;
      const headers: Record<string, string> = { ...parts.credentials.headers };
      const kinds: string[] = [];
      if (parts.credentials.kind) kinds.push(parts.credentials.kind);
      if (parts.body) {
        kinds.push(parts.body.kind);
        if (parts.body.contentType !== undefined) headers['content-type'] = parts.body.contentType;
      }
      if (parts.idempotency) {
        if (parts.idempotency.value !== undefined) headers['idempotency-key'] = parts.idempotency.value;
        if (parts.idempotency.kind !== 'key') kinds.push(parts.idempotency.kind);
      }
      if (parts.ifMatch) {
        if (parts.ifMatch.value !== undefined) headers['if-match'] = parts.ifMatch.value;
        kinds.push(parts.ifMatch.kind);
      }
      if (parts.correlation !== undefined) {
        headers['x-correlation-id'] = parts.correlation;
        kinds.push('bad_correlation_id');
      }
      if (parts.accept) headers.accept = parts.accept;
      let body = parts.body?.body;
      const target = targetOf(operation);
      if (target === 'districts' && body) {
        // Signed with the real secret only when the body itself is invalid: a valid signed answer would be accepted.
        const timestamp = String(Math.floor(Date.now() / 1000) - (parts.signature === 'stale' ? 3600 : 0));
        const signed = parts.signature === 'valid' || parts.signature === 'stale';
        const secret = signed && parts.body!.invalid ? fixtures.backOffice.secret : 'not-the-secret';
        if (parts.signature !== 'missing') {
          headers['x-umg-timestamp'] = parts.signature === 'garbage' ? 'yesterday' : timestamp;
          headers['x-umg-signature'] =
            parts.signature === 'garbage'
              ? 'md5=abc'
              : `sha256=${createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest('hex')}`;
        }
        kinds.push(`signature_${signed && parts.body!.invalid ? parts.signature : 'wrong'}`);
      }
      if (
        target === 'payments' &&
        operation.operationId === 'receivePaymentNotification' &&
        parts.body?.kind.startsWith('form_')
      ) {
        // Notifications in the payment system's shape, but never signed with its secret.
        const data = Buffer.from(
          JSON.stringify({ Id: randomUUID(), Status: 4, ChangeTime: new Date().toISOString() }),
        ).toString('base64');
        const fields = new URLSearchParams({
          ClientId: fixtures.paymentClientId,
          Hmac: createHmac('sha256', 'wrong').update(data).digest('base64'),
          Data: data,
        });
        if (parts.formSecret === 'missing_fields') fields.delete('Hmac');
        body = Buffer.concat([body ?? Buffer.alloc(0), Buffer.from(`&${fields.toString()}`)]);
        kinds.push(parts.formSecret === 'missing_fields' ? 'hmac_missing' : 'hmac_wrong');
      }
      if (operation.operationId === 'signIn') kinds.push('wrong_password');
      if (operation.operationId === 'signOut') {
        headers.cookie = '__Host-umg-operator-session=not-a-session';
        kinds.push('bad_session');
      }
      let mustReject = isWrite;
      if (
        operation.document === 'operator-api' &&
        isWrite &&
        parts.body &&
        !parts.body.invalid &&
        !parts.credentials.kind
      ) {
        // A well-formed operator action on a real district would be carried out: aim it at no district.
        path = path
          .replace(/\/districts\/[^/]+\//, '/districts/no-such-district/')
          .replace(/\/deliveries\/[^/]+\//, '/deliveries/999999/');
        kinds.push('unknown_target');
      }
      if (operation.operationId === 'signIn' || operation.operationId === 'issueAccessToken') mustReject = true;
      return {
        operation: `${operation.method.toUpperCase()} ${operation.path}`,
        target,
        kind: kinds.join('+') || 'hostile_params',
        method: operation.method.toUpperCase(),
        path,
        headers,
        body,
        mustReject,
      };
    });
}
