import { createServer, type IncomingMessage, type Server } from 'node:http';
import { gunzipSync } from 'node:zlib';

/** One received span, flattened: enough to check which service made it and where it hangs. */
export interface CollectedSpan {
  service: string;
  traceId: string;
  spanId: string;
  parentSpanId: string | null;
  name: string;
  /** OTLP span kind: 1 internal, 2 server, 3 client, 4 producer, 5 consumer. */
  kind: number;
  attributes: Record<string, string | number | boolean>;
}

interface OtlpValue {
  stringValue?: string;
  intValue?: string | number;
  boolValue?: boolean;
  doubleValue?: number;
}
interface OtlpAttribute {
  key: string;
  value: OtlpValue;
}
interface OtlpRequest {
  resourceSpans?: {
    resource?: { attributes?: OtlpAttribute[] };
    scopeSpans?: {
      spans?: {
        traceId: string;
        spanId: string;
        parentSpanId?: string;
        name: string;
        kind: number;
        attributes?: OtlpAttribute[];
      }[];
    }[];
  }[];
}

/** Spans kept at most; the oldest go first (a test run makes far fewer). */
const capacity = 200_000;

/**
 * A tiny OpenTelemetry collector for the tests: accepts OTLP/HTTP JSON on `POST /v1/traces` (what
 * the services' exporter sends) and answers `GET /spans?traceId=…` with the spans of one trace.
 */
export function createOtlpCollector(): Server {
  const spans: CollectedSpan[] = [];
  return createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://collector');
    if (request.method === 'POST' && url.pathname === '/v1/traces') {
      readBody(request)
        .then((body) => {
          spans.push(...flatten(JSON.parse(body) as OtlpRequest));
          if (spans.length > capacity) spans.splice(0, spans.length - capacity);
          response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
        })
        .catch((error: unknown) => response.writeHead(400).end(String(error)));
      return;
    }
    if (request.method === 'GET' && url.pathname === '/spans') {
      const traceId = url.searchParams.get('traceId');
      const found = spans.filter((span) => span.traceId === traceId);
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(found));
      return;
    }
    response.writeHead(404).end();
  });
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks);
  return (request.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw).toString('utf8');
}

function flatten(body: OtlpRequest): CollectedSpan[] {
  const result: CollectedSpan[] = [];
  for (const resourceSpans of body.resourceSpans ?? []) {
    const resource = attributes(resourceSpans.resource?.attributes);
    for (const scope of resourceSpans.scopeSpans ?? []) {
      for (const span of scope.spans ?? []) {
        result.push({
          service: String(resource['service.name'] ?? 'unknown'),
          traceId: span.traceId,
          spanId: span.spanId,
          parentSpanId: span.parentSpanId || null,
          name: span.name,
          kind: span.kind,
          attributes: attributes(span.attributes),
        });
      }
    }
  }
  return result;
}

function attributes(list: OtlpAttribute[] | undefined): Record<string, string | number | boolean> {
  const result: Record<string, string | number | boolean> = {};
  for (const { key, value } of list ?? []) {
    const v = value.stringValue ?? value.boolValue ?? value.doubleValue ?? value.intValue;
    if (v !== undefined) result[key] = typeof v === 'string' && value.intValue !== undefined ? Number(v) : v;
  }
  return result;
}
