import createClient, { type Client, type Middleware } from 'openapi-fetch';
import { AccessTokens, type ClientCredentials } from './access-tokens';
import { DistrictApiProblem } from './district-api-problem';
import type { paths } from './generated/district-api';
import { operations } from './generated/operations';

/** How often, and how patiently, a call that may be repeated safely is tried again. */
export interface RetryPolicy {
  /** Tries in all, the first included. */
  attempts: number;
  /** The wait before the second try; it doubles with each further one (with jitter). */
  baseDelayMs: number;
  /** No wait is longer: a `Retry-After` beyond it gives the answer back instead. */
  maxDelayMs: number;
}

export interface DistrictApiClientOptions {
  /** The gateway's address, e.g. the sandbox's `https://…` (no path). */
  baseUrl: string;
  credentials: ClientCredentials;
  retry?: Partial<RetryPolicy>;
  /** A fetch of your own (a proxy, a client certificate agent); the global one by default. */
  fetch?: typeof fetch;
  /** Waits between tries; for tests. */
  sleep?: (ms: number) => Promise<void>;
  /** The clock that ages tokens; for tests. */
  now?: () => number;
}

// Headers the client adds itself: optional in its calls where the contract requires them.
type FilledHeader = 'Idempotency-Key' | 'If-Match';
type OptionalFilled<H> = Omit<H, FilledHeader> & { [K in Extract<keyof H, FilledHeader>]?: H[K] };
type RequiredKeys<T> = { [K in keyof T]-?: object extends Pick<T, K> ? never : K }[keyof T];
type ClientParameters<P> = P extends { header: infer H }
  ? Exclude<RequiredKeys<H>, FilledHeader> extends never
    ? Omit<P, 'header'> & { header?: OptionalFilled<H> }
    : Omit<P, 'header'> & { header: OptionalFilled<H> }
  : P;
type ClientOperation<O> = O extends { parameters: infer P; responses: unknown }
  ? Omit<O, 'parameters'> & { parameters: ClientParameters<P> }
  : O;

/** The contract's paths as the client takes them (`Idempotency-Key` and `If-Match` optional). */
export type DistrictApiPaths = {
  [Path in keyof paths]: { [Key in keyof paths[Path]]: ClientOperation<paths[Path][Key]> };
};

/**
 * An openapi-fetch client of the district API (`GET`, `POST`, … typed by the contract's paths)
 * whose error answers are thrown as `DistrictApiProblem`.
 */
export type DistrictApiClient = Client<DistrictApiPaths> & {
  readonly tokens: AccessTokens;
  /** The ETag last seen of an application (from a read, a list or a step), as `If-Match` sends it. */
  etagOf(applicationId: string): string | undefined;
};

// Answers after which the same request may well succeed: the gateway or a service behind it was
// busy or briefly away, or the first request with the same Idempotency-Key is still running.
const transientStatuses = new Set([408, 429, 502, 503, 504]);

/**
 * The district API with what every back office would otherwise write itself:
 * - an access token by OAuth2 client credentials, renewed before it expires and after a 401;
 * - an `Idempotency-Key` on every call the contract requires it of (unless you pass your own), so
 *   those calls, like every GET, are retried after a network error, 408, 429, 5xx from a busy
 *   upstream or `idempotency_key_in_use`, honouring `Retry-After`;
 * - `If-Match` from the application's last seen ETag (read first when none was seen); a 412
 *   `version_mismatch` is thrown, since someone else changed the application;
 * - problem+json answers thrown as `DistrictApiProblem` with the contract's stable `code`.
 */
export function createDistrictApiClient(options: DistrictApiClientOptions): DistrictApiClient {
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const fetchImpl = options.fetch ?? ((input: Request | string | URL, init?: RequestInit) => fetch(input, init));
  const policy: RetryPolicy = { attempts: 4, baseDelayMs: 250, maxDelayMs: 10_000, ...options.retry };
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const tokens = new AccessTokens(`${baseUrl}/oauth/token`, options.credentials, fetchImpl, options.now);
  const etags = new Map<string, { etag: string; version: number }>();
  const repeatable = new WeakSet<Request>();

  const remember = (applicationId: string, etag: string) => {
    const version = Number(/^"(\d+)"$/.exec(etag)?.[1] ?? NaN);
    const known = etags.get(applicationId);
    // A list read before a step must not take the application back to an older version.
    if (!known || !(version < known.version)) etags.set(applicationId, { etag, version });
  };

  // Each try sends a copy of the request, so the body is still there for the next one.
  const send = async (request: Request): Promise<Response> => {
    let tries = 0;
    let renewedToken = false;
    for (;;) {
      const token = await tokens.current();
      const attempt = request.clone();
      attempt.headers.set('Authorization', `Bearer ${token}`);
      tries += 1;
      let response: Response;
      try {
        response = await fetchImpl(attempt);
      } catch (error) {
        if (!repeatable.has(request) || tries >= policy.attempts) throw error;
        await sleep(backoff(policy, tries));
        continue;
      }
      if (response.status === 401 && !renewedToken) {
        // Expired or revoked before we thought: nothing was done, so one more try with a new token.
        renewedToken = true;
        tokens.invalidate(token);
        tries -= 1;
        await response.body?.cancel();
        continue;
      }
      if (!repeatable.has(request) || tries >= policy.attempts || !(await isTransient(response))) return response;
      const delay = retryAfterMs(response) ?? backoff(policy, tries);
      if (delay > policy.maxDelayMs) return response;
      await response.body?.cancel();
      await sleep(delay);
    }
  };

  const client = createClient<DistrictApiPaths>({ baseUrl, fetch: send });

  const contractHeaders: Middleware = {
    async onRequest({ request, schemaPath, params }) {
      const operation = operations[`${request.method} ${schemaPath}`];
      const applicationId = applicationIdOf(params);
      if (operation?.idempotencyKey && !request.headers.has('Idempotency-Key')) {
        request.headers.set('Idempotency-Key', crypto.randomUUID());
      }
      if (operation?.ifMatch && applicationId && !request.headers.has('If-Match')) {
        request.headers.set('If-Match', etags.get(applicationId)?.etag ?? (await readEtag(applicationId)));
      }
      if (request.method === 'GET' || request.method === 'HEAD' || request.headers.has('Idempotency-Key')) {
        repeatable.add(request);
      }
      return request;
    },
    async onResponse({ response, params }) {
      if (!response.ok) throw await DistrictApiProblem.fromResponse(response.clone());
      const applicationId = applicationIdOf(params);
      const etag = response.headers.get('ETag');
      if (applicationId && etag) remember(applicationId, etag);
      if (!applicationId && response.headers.get('Content-Type')?.startsWith('application/json')) {
        // A page of applications (or of their changes) carries each one's version: its ETag.
        const body = (await response
          .clone()
          .json()
          .catch(() => undefined)) as { items?: unknown } | undefined;
        for (const item of Array.isArray(body?.items) ? body.items : []) {
          const { id, applicationId: changed, version } = item as Record<string, unknown>;
          const key = typeof changed === 'string' ? changed : id;
          if (typeof key === 'string' && Number.isInteger(version)) remember(key, `"${String(version)}"`);
        }
      }
      return response;
    },
  };
  client.use(contractHeaders);

  async function readEtag(applicationId: string): Promise<string> {
    await client.GET('/v1/applications/{applicationId}', { params: { path: { applicationId } } });
    const known = etags.get(applicationId);
    if (!known) throw new Error(`the gateway sent no ETag for application ${applicationId}`);
    return known.etag;
  }

  return Object.assign(client, {
    tokens,
    etagOf: (applicationId: string) => etags.get(applicationId)?.etag,
  });
}

function applicationIdOf(params: { path?: unknown }): string | undefined {
  const id = (params.path as { applicationId?: unknown } | undefined)?.applicationId;
  return typeof id === 'string' ? id : undefined;
}

async function isTransient(response: Response): Promise<boolean> {
  if (transientStatuses.has(response.status)) return true;
  if (response.status !== 409) return false;
  const problem = (await response
    .clone()
    .json()
    .catch(() => undefined)) as { code?: unknown } | undefined;
  return problem?.code === 'idempotency_key_in_use';
}

function retryAfterMs(response: Response): number | undefined {
  const value = response.headers.get('Retry-After');
  return value !== null && /^\d+$/.test(value) ? Number(value) * 1000 : undefined;
}

function backoff(policy: RetryPolicy, tries: number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (tries - 1));
  return Math.round(ceiling / 2 + (Math.random() * ceiling) / 2);
}
