import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { runWithCorrelation } from '@umg/logging';
import type { ServiceTokenIssuer } from '@umg/platform';
import { ProblemException } from '@umg/problem';
import { encodePath, queryString, ServiceConnection } from './service-connection';

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

describe('ServiceConnection', () => {
  let server: Server;
  let baseUrl: string;
  let seen: Seen[];
  let sockets: number;
  let answer: (request: IncomingMessage, response: ServerResponse) => void;
  const issued: unknown[] = [];
  const tokens = {
    authorization: (audience: string, onBehalfOf?: unknown) => {
      issued.push(onBehalfOf);
      return Promise.resolve(`Bearer token-for-${audience}`);
    },
  } as unknown as ServiceTokenIssuer;
  let connection: ServiceConnection;

  beforeEach(async () => {
    seen = [];
    sockets = 0;
    issued.length = 0;
    answer = (_request, response) => {
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify({ id: 'a1', version: 3 }));
    };
    server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        seen.push({
          method: request.method!,
          url: request.url!,
          headers: request.headers,
          body: Buffer.concat(chunks).toString(),
        });
        answer(request, response);
      });
    });
    server.on('connection', () => (sockets += 1));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    connection = new ServiceConnection('applications', baseUrl, tokens, 300);
  });

  afterEach(async () => {
    await connection.close();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('sends the service token, the correlation id and the query, and reuses its connections', async () => {
    const data = await runWithCorrelation({ correlationId: 'corr-1' }, () =>
      connection.data<{ id: string }>({
        method: 'GET',
        path: encodePath`/internal/v1/districts/${'serdika'}/applications`,
        query: { status: ['routed', 'paid'], limit: 5, after: undefined },
      }),
    );
    for (let call = 0; call < 10; call += 1) await connection.data({ method: 'GET', path: '/again' });

    expect(data).toEqual({ id: 'a1', version: 3 });
    expect(seen[0]!.url).toBe('/internal/v1/districts/serdika/applications?status=routed&status=paid&limit=5');
    expect(seen[0]!.headers.authorization).toBe('Bearer token-for-applications');
    expect(seen[0]!.headers['x-correlation-id']).toBe('corr-1');
    // Kept alive: eleven calls one after another, not eleven connections (the pool may open a
    // second while the first is still being released).
    expect(sockets).toBeLessThanOrEqual(2);
  });

  it('acts for the district in the token and sends a JSON body with the If-Match asked for', async () => {
    const onBehalfOf = { actor: { districtCode: 'serdika', clientId: 'serdika:api-key:1' } };
    const result = await connection.call({
      method: 'POST',
      path: '/decide',
      headers: { 'if-match': '"3"' },
      onBehalfOf,
      json: { registrationNumber: 'R-1' },
    });

    expect(result.status).toBe(200);
    expect(issued).toEqual([onBehalfOf]);
    expect(seen[0]!.headers['if-match']).toBe('"3"');
    expect(seen[0]!.headers['content-type']).toBe('application/json');
    expect(JSON.parse(seen[0]!.body)).toEqual({ registrationNumber: 'R-1' });
  });

  it('streams a body with the length and type given', async () => {
    await connection.call({
      method: 'POST',
      path: '/upload',
      headers: { 'content-type': 'multipart/form-data; boundary=x', 'content-length': '6' },
      stream: Readable.from([Buffer.from('abc'), Buffer.from('def')]),
    });

    expect(seen[0]!.body).toBe('abcdef');
    expect(seen[0]!.headers['content-length']).toBe('6');
  });

  it("passes a service's problem on with its status and code, and turns its failure into the gateway's 502", async () => {
    answer = (_request, response) => {
      response.statusCode = 404;
      response.setHeader('content-type', 'application/problem+json');
      response.end(JSON.stringify({ code: 'application_not_found', title: 'Application not found', status: 404 }));
    };
    const notFound = await connection.data({ method: 'GET', path: '/x' }).catch((error: unknown) => error);
    answer = (_request, response) => {
      response.statusCode = 500;
      response.end('boom');
    };
    const failed = await connection.data({ method: 'GET', path: '/x' }).catch((error: unknown) => error);

    expect(notFound).toBeInstanceOf(ProblemException);
    expect((notFound as ProblemException).status).toBe(404);
    expect((notFound as ProblemException).code).toBe('application_not_found');
    expect((failed as ProblemException).status).toBe(502);
  });

  it('reads a file answer as bytes whatever its type', async () => {
    answer = (_request, response) => {
      response.setHeader('content-type', 'application/json');
      response.end('{"a document": "that is JSON"}');
    };
    const result = await connection.call({ method: 'GET', path: '/file', file: true });

    expect(Buffer.isBuffer(result.body)).toBe(true);
    expect((result.body as Buffer).toString()).toBe('{"a document": "that is JSON"}');
  });

  it('answers 504 when the service does not answer in time, and 503 when it cannot be reached', async () => {
    answer = () => undefined; // never answers
    const slow = await connection.data({ method: 'GET', path: '/slow' }).catch((error: unknown) => error);
    const closed = new ServiceConnection('applications', 'http://127.0.0.1:1', tokens, 300);
    const unreachable = await closed.data({ method: 'GET', path: '/x' }).catch((error: unknown) => error);
    await closed.close();

    expect((slow as ProblemException).status).toBe(504);
    expect((slow as ProblemException).code).toBe('upstream_timeout');
    expect((unreachable as ProblemException).status).toBe(503);
    expect((unreachable as ProblemException).code).toBe('upstream_unavailable');
  });

  it('waits longer when the call asks for it (a long-poll)', async () => {
    answer = (_request, response) => {
      setTimeout(() => {
        response.setHeader('content-type', 'application/json');
        response.end('{"items":[]}');
      }, 500);
    };
    await expect(connection.data({ method: 'GET', path: '/changes', timeoutMs: 2_000 })).resolves.toEqual({
      items: [],
    });
  });

  it('encodes path parameters and query values', () => {
    expect(encodePath`/a/${'x/y'}/b/${7}`).toBe('/a/x%2Fy/b/7');
    expect(queryString({ q: 'a&b', none: undefined })).toBe('?q=a%26b');
    expect(queryString({})).toBe('');
  });
});
