import type { IncomingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';
import { Pool } from 'undici';
import { currentCorrelation } from '@umg/logging';
import type { ServiceTokenIssuer } from '@umg/platform';
import { tracedCall } from '@umg/tracing';
import { unreachable, upstreamProblem } from '../applications/upstream-problem';

/** The services the gateway calls on every district request. */
export type UpstreamService = 'applications' | 'payments' | 'delivery';
/** Whom a call acts for: the service token then names the district system or the operator. */
export type OnBehalfOf = NonNullable<Parameters<ServiceTokenIssuer['authorization']>[1]>;

export interface UpstreamCall {
  method: 'GET' | 'POST';
  /** The path with its parameters already encoded (see `encodePath`). */
  path: string;
  /** Query parameters; an array is sent as the same name repeated (`status=a&status=b`), as the contracts say. */
  query?: Record<string, unknown>;
  headers?: Record<string, string>;
  onBehalfOf?: OnBehalfOf;
  /** A JSON body. */
  json?: unknown;
  /** A streamed body (a result upload): its length and type go in `headers`; bounded by a signal instead. */
  stream?: Readable;
  /** Longer than the usual bound, e.g. a long-poll's wait on top of it. */
  timeoutMs?: number;
  /** A successful answer is a file: its bytes whatever its type (a problem answer is still read as JSON). */
  file?: boolean;
}

export interface UpstreamAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  /** The answer's body, read whole: JSON parsed (unless a file was asked for), anything else as bytes, nothing as undefined. */
  body: unknown;
}

/**
 * A pooled keep-alive HTTP/1.1 client of one internal service (undici's Pool): no `fetch`, no
 * WHATWG Request/Response or stream objects per call, and no new connection per call. Measured on
 * this machine (client and server in one process, 16 concurrent callers, 1.4 kB JSON): fetch
 * 0.20–0.40 ms CPU per call, node:http with a keep-alive Agent 0.07–0.12 ms, this 0.05–0.08 ms.
 *
 * Every call carries the gateway's service token (acting for the district or operator when
 * given), the correlation id and the trace context; it is bounded by `timeoutMs` (the answer's
 * headers within it, then no pause longer than it in its body); an unreachable or slow service
 * becomes a 503/504 problem of the gateway's own.
 */
export class ServiceConnection {
  private readonly pool: Pool;

  constructor(
    private readonly service: UpstreamService,
    baseUrl: string,
    private readonly tokens: ServiceTokenIssuer,
    private readonly timeoutMs: number,
  ) {
    // No bound on connections, as before with fetch: a held long-poll never queues a read
    // behind it. Idle connections close before the services' 5 s keep-alive does.
    this.pool = new Pool(new URL(baseUrl).origin, { keepAliveTimeout: 4_000, keepAliveMaxTimeout: 4_000 });
  }

  /** The answer whatever its status; throws only when the service could not be reached or answer in time. */
  async call(call: UpstreamCall): Promise<UpstreamAnswer> {
    const headers: Record<string, string> = {
      authorization: await this.tokens.authorization(this.service, call.onBehalfOf),
      ...call.headers,
    };
    const correlation = currentCorrelation();
    if (correlation) headers['x-correlation-id'] = correlation.correlationId;
    let body: string | Readable | undefined = call.stream;
    if (call.json !== undefined) {
      body = JSON.stringify(call.json);
      headers['content-type'] = 'application/json';
    }
    const timeoutMs = call.timeoutMs ?? this.timeoutMs;
    try {
      return await tracedCall(this.service, call.method, async (traceContext) => {
        Object.assign(headers, traceContext);
        const response = await this.pool.request({
          method: call.method,
          path: call.query ? `${call.path}${queryString(call.query)}` : call.path,
          headers,
          body,
          headersTimeout: timeoutMs,
          bodyTimeout: timeoutMs,
          // A streamed upload is bounded as a whole: its headers come only once it is all sent.
          signal: call.stream ? AbortSignal.timeout(timeoutMs) : undefined,
        });
        const asFile = call.file === true && response.statusCode < 300;
        return { status: response.statusCode, headers: response.headers, body: await readBody(response, asFile) };
      });
    } catch (error) {
      throw unreachable(error);
    }
  }

  /** The data of a successful answer; any other answer becomes the service's problem, passed on. */
  async data<T>(call: UpstreamCall): Promise<T> {
    const answer = await this.call(call);
    if (answer.status >= 300 || answer.body === undefined) throw upstreamProblem(answer.status, answer.body);
    return answer.body as T;
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}

/** A path from a template's parts: every parameter percent-encoded. */
export function encodePath(strings: TemplateStringsArray, ...parameters: (string | number)[]): string {
  return strings.reduce(
    (path, part, index) =>
      path + part + (index < parameters.length ? encodeURIComponent(String(parameters[index])) : ''),
    '',
  );
}

export function queryString(query: Record<string, unknown>): string {
  const parts: string[] = [];
  for (const [name, value] of Object.entries(query)) {
    if (value === undefined || value === null) continue;
    for (const one of Array.isArray(value) ? (value as unknown[]) : [value]) {
      parts.push(`${encodeURIComponent(name)}=${encodeURIComponent(String(one))}`);
    }
  }
  return parts.length > 0 ? `?${parts.join('&')}` : '';
}

async function readBody(
  response: { headers: IncomingHttpHeaders; body: BodyReader },
  asFile: boolean,
): Promise<unknown> {
  const type = response.headers['content-type'] ?? '';
  if (!asFile && typeof type === 'string' && /[/+]json\b/.test(type)) {
    const text = await response.body.text();
    if (text === '') return undefined;
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return undefined;
    }
  }
  const bytes = Buffer.from(await response.body.arrayBuffer());
  return bytes.length > 0 ? bytes : undefined;
}

interface BodyReader {
  text(): Promise<string>;
  arrayBuffer(): Promise<ArrayBuffer>;
}
