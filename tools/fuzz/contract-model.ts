import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parse } from 'yaml';

/**
 * The parts of the contracts the bad-input run is driven by, read from the YAML itself: every
 * operation of the public HTTP documents (with parameters and body schemas, `$ref`s resolved)
 * and every Kafka topic a service consumes (with its payload schemas and consumer groups).
 */

export type JsonSchema = Record<string, unknown>;

export interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required: boolean;
  schema: JsonSchema;
}

export interface Operation {
  /** The document it comes from, e.g. `district-api`. */
  document: string;
  operationId: string;
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  path: string;
  parameters: Parameter[];
  /** Content type → schema of the request body, when the operation takes one. */
  body?: { required: boolean; content: Record<string, JsonSchema> };
  /** Security requirement names; empty when the operation is open. */
  security: string[];
}

export interface ConsumedTopic {
  topic: string;
  /** CloudEvents type → payload schema. */
  messages: { type: string; name: string; schema: JsonSchema }[];
  /** Consumer groups, e.g. `umg.payments` (the service is the part after `umg.`). */
  groups: string[];
}

const methods = ['get', 'post', 'put', 'patch', 'delete'] as const;

/** Loads YAML files on demand and resolves `$ref`s (local and relative-file) into plain values. */
class RefResolver {
  private readonly documents = new Map<string, unknown>();

  document(file: string): unknown {
    let doc = this.documents.get(file);
    if (doc === undefined) {
      doc = parse(readFileSync(file, 'utf8')) as unknown;
      this.documents.set(file, doc);
    }
    return doc;
  }

  /** The value with every `$ref` replaced by what it points to (cycles are cut at depth). */
  resolve(value: unknown, file: string, depth = 0): unknown {
    if (depth > 40) return {};
    if (Array.isArray(value)) return value.map((item) => this.resolve(item, file, depth + 1));
    if (!value || typeof value !== 'object') return value;
    const record = value as Record<string, unknown>;
    if (typeof record.$ref === 'string') {
      const [target, targetFile] = this.pointer(record.$ref, file);
      const { $ref: _ref, ...siblings } = record;
      const resolved = this.resolve(target, targetFile, depth + 1);
      return Object.keys(siblings).length > 0 && resolved && typeof resolved === 'object'
        ? { ...(resolved as object), ...(this.resolve(siblings, file, depth + 1) as object) }
        : resolved;
    }
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(record)) out[key] = this.resolve(item, file, depth + 1);
    return out;
  }

  private pointer(ref: string, file: string): [unknown, string] {
    const [path, fragment = ''] = ref.split('#');
    const targetFile = path ? resolve(dirname(file), path) : file;
    let node = this.document(targetFile);
    for (const segment of fragment.split('/').filter(Boolean)) {
      node = (node as Record<string, unknown>)[segment.replace(/~1/g, '/').replace(/~0/g, '~')];
    }
    return [node, targetFile];
  }
}

/** Every operation of the named OpenAPI documents (under contracts/openapi). */
export function loadOperations(contractsDir: string, documents: string[]): Operation[] {
  const resolver = new RefResolver();
  const operations: Operation[] = [];
  for (const name of documents) {
    const file = join(contractsDir, 'openapi', `${name}.yaml`);
    const doc = resolver.document(file) as {
      paths: Record<string, Record<string, unknown>>;
      security?: Record<string, unknown>[];
    };
    for (const [path, rawItem] of Object.entries(doc.paths ?? {})) {
      const item = resolver.resolve(rawItem, file) as Record<string, unknown>;
      const shared = (item.parameters as Parameter[] | undefined) ?? [];
      for (const method of methods) {
        const op = item[method] as Record<string, unknown> | undefined;
        if (!op || typeof op.operationId !== 'string') continue;
        const own = (op.parameters as Parameter[] | undefined) ?? [];
        const byKey = new Map([...shared, ...own].map((p) => [`${p.in}:${p.name}`, p]));
        const requestBody = op.requestBody as
          { required?: boolean; content?: Record<string, { schema?: JsonSchema }> } | undefined;
        const security = (op.security as Record<string, unknown>[] | undefined) ?? doc.security ?? [];
        operations.push({
          document: name,
          operationId: op.operationId,
          method,
          path,
          parameters: [...byKey.values()].map((p) => ({
            name: p.name,
            in: p.in,
            required: Boolean(p.required),
            schema: (p.schema as JsonSchema | undefined) ?? {},
          })),
          body: requestBody?.content
            ? {
                required: Boolean(requestBody.required),
                content: Object.fromEntries(
                  Object.entries(requestBody.content).map(([type, media]) => [type, media.schema ?? {}]),
                ),
              }
            : undefined,
          security: security.flatMap((requirement) => Object.keys(requirement)),
        });
      }
    }
  }
  return operations;
}

/** Every topic some service consumes, from the AsyncAPI document's `receive` operations. */
export function loadConsumedTopics(contractsDir: string): ConsumedTopic[] {
  const resolver = new RefResolver();
  const file = join(contractsDir, 'asyncapi', 'gateway.asyncapi.yaml');
  const doc = resolver.document(file) as { operations: Record<string, Record<string, unknown>> };
  const topics = new Map<string, ConsumedTopic>();
  for (const rawOperation of Object.values(doc.operations)) {
    if (rawOperation.action !== 'receive') continue;
    const operation = resolver.resolve(rawOperation, file) as {
      channel: { address: string };
      /** What the consumers take from the channel (it may carry other messages, for other consumers). */
      messages: Message[];
      bindings?: { kafka?: { groupId?: { enum?: string[] } } };
    };
    const groups = operation.bindings?.kafka?.groupId?.enum ?? [];
    // A `{service}` channel (each service's replay topic) is one topic per consuming group.
    const perGroup = operation.channel.address.includes('{service}')
      ? groups.map((group) => ({
          topic: operation.channel.address.replace('{service}', group.replace(/^umg\./, '')),
          groups: [group],
        }))
      : [{ topic: operation.channel.address, groups }];
    for (const { topic, groups: readers } of perGroup) {
      const entry = topics.get(topic) ?? { topic, messages: [], groups: [] };
      for (const group of readers) {
        if (!entry.groups.includes(group)) entry.groups.push(group);
      }
      for (const message of operation.messages) {
        if (entry.messages.some((m) => m.name === message.name)) continue;
        entry.messages.push({ name: message.name, type: cloudEventType(message), schema: message.payload });
      }
      topics.set(topic, entry);
    }
  }
  return [...topics.values()];
}

interface Message {
  name: string;
  payload: JsonSchema;
  headers?: { allOf?: { properties?: { ce_type?: { const?: string } } }[] };
}

function cloudEventType(message: Message): string {
  for (const part of message.headers?.allOf ?? []) {
    const type = part.properties?.ce_type?.const;
    if (type) return type;
  }
  throw new Error('a consumed message without a ce_type const in the AsyncAPI document');
}

/**
 * The problem codes the contracts name: every `code` in an error example and every backticked
 * snake_case word in the description of an error response or of a Problem schema.
 */
export function loadKnownProblemCodes(contractsDir: string, documents: string[]): Set<string> {
  const codes = new Set<string>();
  const resolver = new RefResolver();
  const collect = (text: unknown) => {
    if (typeof text !== 'string') return;
    for (const match of text.matchAll(/`([a-z][a-z0-9]*(?:_[a-z0-9]+)+|[a-z]+)`/g)) codes.add(match[1]!);
  };
  const walk = (node: unknown, inError: boolean): void => {
    if (Array.isArray(node)) return node.forEach((item) => walk(item, inError));
    if (!node || typeof node !== 'object') return;
    for (const [key, value] of Object.entries(node as Record<string, unknown>)) {
      const errorKey = /^[45]\d\d$/.test(key) || key === 'Problem';
      if ((inError || errorKey) && key === 'description') collect(value);
      if ((inError || errorKey) && key === 'code' && typeof value === 'string') codes.add(value);
      walk(value, inError || errorKey);
    }
  };
  for (const name of documents) {
    const file = join(contractsDir, 'openapi', `${name}.yaml`);
    const doc = resolver.resolve(resolver.document(file), file);
    walk(doc, false);
  }
  return codes;
}
