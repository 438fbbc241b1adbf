import { overMutualTls } from './support/identity';
import { asGateway } from './support/service-identity';
import { testEnv } from './support/test-env';

interface Answer {
  status: number;
  body: { code?: string; title?: string; status?: string };
}

async function ask(url: string, init: RequestInit = {}): Promise<Answer> {
  const response = await fetch(url, init);
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : {}) as Answer['body'] };
}

/** What a port answers for a route that exists nowhere: the answer every refused route must match. */
const unknownRoute = (method: string, path: string): Answer => ({
  status: 404,
  body: expect.objectContaining({ code: 'not_found', title: `Cannot ${method} ${path}` }) as Answer['body'],
});

const json = { 'Content-Type': 'application/json' };

/**
 * Each listener serves only its audience's routes; every other route answers exactly as a route
 * that does not exist (docs/security.md, "Listeners").
 */
describe('listeners by audience', () => {
  const paymentsInternal = '/internal/v1/applications/00000000-0000-4000-8000-000000000000/payment-requests';

  it('the payments callback listener serves the payment notifications, and nothing else', async () => {
    const callbacks = testEnv.paymentsCallbackUrl;
    // Served: a malformed notification is the route's own refusal, not an unknown route.
    const notification = await ask(`${callbacks}/v1/payment-notifications`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'ClientId=nobody',
    });
    expect(notification.status).not.toBe(404);
    expect(notification.status).toBeLessThan(500);
    for (const path of [paymentsInternal, '/health/live', '/health/ready', '/metrics']) {
      expect(await ask(`${callbacks}${path}`)).toEqual(unknownRoute('GET', path));
    }
    expect(await ask(`${callbacks}/no-such-route`)).toEqual(unknownRoute('GET', '/no-such-route'));
  });

  it('the districts callback listener serves the back offices’ answers, and nothing else', async () => {
    const callbacks = testEnv.districtsCallbackUrl;
    const unsigned = await ask(`${callbacks}/back-office/sredets/decisions`, {
      method: 'POST',
      headers: json,
      body: '{}',
    });
    expect(unsigned.status).not.toBe(404);
    expect(unsigned.status).toBeLessThan(500);
    const profile = '/internal/v1/districts/sredets/profile';
    const patched = await ask(`${callbacks}${profile}`, {
      method: 'PATCH',
      headers: { ...json, 'X-Operator-Id': 'admin.ivanova' },
      body: JSON.stringify({ endpoint: 'https://evil.example/x', credentialsRef: 'NODE_ENV', reason: 'rotation' }),
    });
    expect(patched).toEqual(unknownRoute('PATCH', profile));
    expect(await ask(`${callbacks}/internal/v1/districts`)).toEqual(unknownRoute('GET', '/internal/v1/districts'));
  });

  it('the internal ports no longer serve the public callbacks', async () => {
    const notification = await ask(`${testEnv.paymentsUrl}/v1/payment-notifications`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'ClientId=nobody',
    });
    expect(notification).toEqual(unknownRoute('POST', '/v1/payment-notifications'));
    const districtsUrl = process.env.TEST_DISTRICTS_URL!;
    const decision = await ask(`${districtsUrl}/back-office/sredets/decisions`, {
      method: 'POST',
      headers: json,
      body: '{}',
    });
    expect(decision).toEqual(unknownRoute('POST', '/back-office/sredets/decisions'));
    // …while their internal routes still answer there (to their callers).
    expect((await ask(`${districtsUrl}/internal/v1/districts`, { headers: await asGateway('districts') })).status).toBe(
      200,
    );
  });

  it('the gateway’s mutual TLS listener serves the district API, the token endpoint and liveness, and no operator route', async () => {
    expect((await overMutualTls('/health/live')).status).toBe(200);
    // Served, and refused for want of a credential.
    expect((await overMutualTls('/v1/applications')).status).toBe(401);
    const token = await overMutualTls('/oauth/token', undefined, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials',
    });
    expect([400, 401]).toContain(token.status);
    const session = await overMutualTls<Answer['body']>('/operator/v1/session', undefined, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ username: 'admin.ivanova', password: 'Winter2026!' }),
    });
    expect({ status: session.status, body: session.body }).toEqual(unknownRoute('POST', '/operator/v1/session'));
    for (const path of ['/operator/v1/districts', '/console/', '/console/index.html', '/health/ready', '/metrics']) {
      const answer = await overMutualTls<Answer['body']>(path);
      expect({ path, status: answer.status, body: answer.body }).toEqual({ path, ...unknownRoute('GET', path) });
    }
  });

  it('the gateway’s operator listener serves the console and the operator API', async () => {
    const console = await fetch(`${testEnv.gatewayUrl}/console/`);
    expect(console.status).toBe(200);
    expect(console.headers.get('content-type')).toContain('text/html');
    expect((await ask(`${testEnv.gatewayUrl}/operator/v1/districts`)).status).toBe(401);
    expect(await ask(`${testEnv.gatewayUrl}/health/ready`)).toEqual({ status: 200, body: { status: 'up' } });
  });
});
