import { createDistrictApiClient } from './district-api-client';
import { DistrictApiProblem } from './district-api-problem';

const applicationId = '3f1c2a9e-8b4d-4c1e-9a57-0d2b6e4f7a10';

interface Seen {
  method: string;
  path: string;
  headers: Headers;
  body: string;
}

/**
 * A stand-in for the gateway: `answer` is asked for every API call (the token endpoint issues
 * numbered tokens by itself), and every request is recorded as sent.
 */
function fakeGateway(answer: (call: Seen, index: number) => Response | Promise<Response>) {
  const calls: Seen[] = [];
  let issued = 0;
  const fetchImpl = async (input: Request | string | URL, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init);
    const path = new URL(request.url).pathname;
    if (path === '/oauth/token') {
      issued += 1;
      return Response.json({ access_token: `token-${issued}`, token_type: 'Bearer', expires_in: 300, scope: '' });
    }
    const call = { method: request.method, path, headers: request.headers, body: await request.text() };
    calls.push(call);
    return answer(call, calls.length - 1);
  };
  const sleeps: number[] = [];
  const client = createDistrictApiClient({
    baseUrl: 'https://gateway.example/',
    credentials: { clientId: 'serdika-it', clientSecret: 'secret' },
    fetch: fetchImpl as typeof fetch,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
  });
  return { client, calls, sleeps, tokensIssued: () => issued };
}

const problem = (status: number, code: string, headers: Record<string, string> = {}) =>
  new Response(
    JSON.stringify({
      type: `urn:umg:problem:${code}`,
      title: code,
      status,
      code,
      correlationId: 'corr-1',
      detail: 'why',
    }),
    { status, headers: { 'Content-Type': 'application/problem+json', ...headers } },
  );

const application = (version: number) =>
  Response.json({ id: applicationId, version, status: 'routed' }, { headers: { ETag: `"${version}"` } });

describe('createDistrictApiClient', () => {
  it('sends a bearer token, and after a 401 renews it once and tries again', async () => {
    const { client, calls, tokensIssued } = fakeGateway((_call, index) =>
      index === 0 ? problem(401, 'invalid_token') : Response.json({ items: [], nextCursor: null }),
    );
    const { data } = await client.GET('/v1/applications', { params: { query: { status: ['routed'] } } });
    expect(data).toEqual({ items: [], nextCursor: null });
    expect(calls.map((call) => call.headers.get('Authorization'))).toEqual(['Bearer token-1', 'Bearer token-2']);
    expect(tokensIssued()).toBe(2);
  });

  it('throws a problem+json answer as a DistrictApiProblem with its code', async () => {
    const { client } = fakeGateway(() => problem(404, 'application_not_found'));
    const error = await client
      .GET('/v1/applications/{applicationId}', { params: { path: { applicationId } } })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DistrictApiProblem);
    expect(error).toMatchObject({
      status: 404,
      code: 'application_not_found',
      problem: { correlationId: 'corr-1', detail: 'why' },
    });
  });

  it('maps an answer that is not problem+json to a problem with an http_<status> code, after the retries', async () => {
    const { client, calls, sleeps } = fakeGateway(
      () => new Response('<html>bad gateway</html>', { status: 502, headers: { 'Content-Type': 'text/html' } }),
    );
    const error = await client.GET('/v1/applications').catch((caught: unknown) => caught);
    expect(error).toMatchObject({ status: 502, code: 'http_502', name: 'DistrictApiProblem' });
    expect(calls).toHaveLength(4);
    expect(sleeps).toHaveLength(3);
  });

  it('retries a read after 503, waiting as Retry-After says', async () => {
    const { client, calls, sleeps } = fakeGateway((_call, index) =>
      index === 0 ? problem(503, 'upstream_unavailable', { 'Retry-After': '2' }) : application(3),
    );
    const { data } = await client.GET('/v1/applications/{applicationId}', { params: { path: { applicationId } } });
    expect(data).toMatchObject({ version: 3 });
    expect(calls).toHaveLength(2);
    expect(sleeps).toEqual([2000]);
  });

  it('gives a step an Idempotency-Key and the If-Match of the application read first, and retries it with the same key', async () => {
    const { client, calls } = fakeGateway((call, index) => {
      if (call.method === 'GET') return application(3);
      if (index === 1) return problem(409, 'idempotency_key_in_use');
      return application(4);
    });
    const { data } = await client.POST('/v1/applications/{applicationId}/registration', {
      params: { path: { applicationId } },
      body: { registrationNumber: 'НД-94-00-1234/12.03.2026' },
    });
    expect(data).toMatchObject({ version: 4 });
    expect(calls.map((call) => `${call.method} ${call.path}`)).toEqual([
      `GET /v1/applications/${applicationId}`,
      `POST /v1/applications/${applicationId}/registration`,
      `POST /v1/applications/${applicationId}/registration`,
    ]);
    const [first, second] = calls.slice(1);
    expect(first!.headers.get('If-Match')).toBe('"3"');
    expect(first!.headers.get('Idempotency-Key')).toMatch(/^[0-9a-f-]{36}$/);
    expect(second!.headers.get('Idempotency-Key')).toBe(first!.headers.get('Idempotency-Key'));
    expect(JSON.parse(second!.body)).toEqual({ registrationNumber: 'НД-94-00-1234/12.03.2026' });
    expect(client.etagOf(applicationId)).toBe('"4"');
  });

  it('takes If-Match from a listed application’s version, and throws 412 without trying again', async () => {
    const { client, calls } = fakeGateway((call) =>
      call.method === 'GET'
        ? Response.json({ items: [{ id: applicationId, version: 7 }], nextCursor: null })
        : problem(412, 'version_mismatch'),
    );
    await client.GET('/v1/applications');
    const error = await client
      .POST('/v1/applications/{applicationId}/processing', { params: { path: { applicationId } }, body: {} })
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ status: 412, code: 'version_mismatch' });
    expect(calls).toHaveLength(2);
    expect(calls[1]!.headers.get('If-Match')).toBe('"7"');
  });

  it('keeps If-Match and Idempotency-Key the caller gives', async () => {
    const { client, calls } = fakeGateway(() => application(5));
    await client.POST('/v1/applications/{applicationId}/processing', {
      params: { path: { applicationId }, header: { 'If-Match': '"4"', 'Idempotency-Key': 'mine-1' } },
      body: {},
    });
    expect(calls).toHaveLength(1);
    expect(calls[0]!.headers.get('If-Match')).toBe('"4"');
    expect(calls[0]!.headers.get('Idempotency-Key')).toBe('mine-1');
  });

  it('sends a result as multipart/form-data, and after a 503 the same parts again', async () => {
    const { client, calls } = fakeGateway((_call, index) =>
      index === 0 ? problem(503, 'upstream_unavailable') : application(6),
    );
    const form = new FormData();
    form.set('document', new Blob(['%PDF-1.7 the result'], { type: 'application/pdf' }), 'result.pdf');
    form.set('metadata', JSON.stringify({ kind: 'result', fileName: 'result.pdf' }));
    await client.POST('/v1/applications/{applicationId}/result', {
      params: { path: { applicationId }, header: { 'If-Match': '"5"' } },
      body: form as never,
      bodySerializer: (body) => body as unknown as FormData,
    });
    expect(calls).toHaveLength(2);
    for (const call of calls) {
      expect(call.headers.get('Content-Type')).toMatch(/^multipart\/form-data; boundary=/);
      expect(call.body).toContain('%PDF-1.7 the result');
      expect(call.body).toContain('"kind":"result"');
    }
    expect(calls[1]!.headers.get('Idempotency-Key')).toBe(calls[0]!.headers.get('Idempotency-Key'));
  });
});
