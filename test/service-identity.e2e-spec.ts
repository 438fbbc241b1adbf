import { asGateway, asService } from './support/service-identity';
import { districtsUrl } from './support/districts';
import { testEnv } from './support/test-env';

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the tests with "npm test"`);
  return value;
}

const applicationsUrl = required('TEST_APPLICATIONS_URL');

/** One gateway-only route of each internal API. */
const routes = [
  { service: 'applications', url: `${applicationsUrl}/internal/v1/districts/serdika/applications?limit=1` },
  { service: 'payments', url: `${testEnv.paymentsUrl}/internal/v1/payment-system/clients` },
  { service: 'delivery', url: `${testEnv.deliveryUrl}/internal/v1/received-messages?state=parked` },
  { service: 'districts', url: `${districtsUrl}/internal/v1/districts/serdika/audit` },
] as const;

async function call(url: string, init: RequestInit = {}) {
  const response = await fetch(url, { ...init, signal: AbortSignal.timeout(10_000) });
  const text = await response.text();
  let body: { code?: string; actor?: string } & Record<string, unknown> = {};
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    // not JSON
  }
  return { status: response.status, contentType: response.headers.get('content-type') ?? '', body };
}

/**
 * The internal APIs of the running services, called directly as an attacker on the cluster
 * network would: every route answers only a caller it names, proven by a service token, and who
 * acts comes only from the gateway's signed claim.
 */
describe('service identity on the internal APIs', () => {
  it.each(routes)('$service refuses a call without a token: 401 service_token_missing', async ({ url }) => {
    const answer = await call(url);
    expect(answer).toMatchObject({ status: 401, body: { code: 'service_token_missing' } });
    expect(answer.contentType).toContain('application/problem+json');
  });

  it.each(routes)('$service refuses a token that is not one: 401 service_token_invalid', async ({ url }) => {
    const answer = await call(url, { headers: { authorization: 'Bearer eyJhbGciOiJub25lIn0.e30.' } });
    expect(answer).toMatchObject({ status: 401, body: { code: 'service_token_invalid' } });
  });

  it.each(routes)('$service answers the gateway', async ({ service, url }) => {
    expect((await call(url, { headers: await asGateway(service) })).status).toBe(200);
  });

  it('refuses the gateway’s token sent to another service (wrong audience)', async () => {
    const answer = await call(routes[3].url, { headers: await asGateway('applications') });
    expect(answer).toMatchObject({ status: 401, body: { code: 'service_token_invalid' } });
  });

  it('lets delivery read the registry, but not a gateway-only route: 403 caller_not_allowed', async () => {
    expect(
      (
        await call(`${districtsUrl}/internal/v1/districts/serdika`, {
          headers: await asService('delivery', 'districts'),
        })
      ).status,
    ).toBe(200);
    const audit = await call(routes[3].url, { headers: await asService('delivery', 'districts') });
    expect(audit).toMatchObject({ status: 403, body: { code: 'caller_not_allowed' } });
  });

  it('refuses an operator claim signed by delivery', async () => {
    const answer = await call(`${districtsUrl}/internal/v1/districts/serdika`, {
      headers: await asService('delivery', 'districts', { operator: { id: 'admin', role: 'administrator' } }),
    });
    expect(answer).toMatchObject({ status: 403, body: { code: 'caller_not_allowed' } });
  });

  it('ignores X-Operator-Id: the audit names the operator of the signed claim, and a change without one is refused', async () => {
    const change = (headers: Record<string, string>) =>
      call(`${districtsUrl}/internal/v1/districts/novi-iskar/profile`, {
        method: 'PATCH',
        headers: { 'Content-Type': 'application/json', 'X-Operator-Id': 'op-forged', ...headers },
        body: JSON.stringify({ credentialsRef: 'DISTRICT_SECRET_NOVI_ISKAR', reason: 'the district named its secret' }),
      });
    expect(await change({})).toMatchObject({ status: 401, body: { code: 'service_token_missing' } });
    expect(await change(await asGateway('districts'))).toMatchObject({
      status: 403,
      body: { code: 'operator_missing' },
    });
    const made = await change(await asGateway('districts', { operator: { id: 'op-real', role: 'administrator' } }));
    expect(made.status).toBe(200);
    const audit = await call(`${districtsUrl}/internal/v1/districts/novi-iskar/audit`, {
      headers: await asGateway('districts'),
    });
    const entries = audit.body as unknown as { actor: string; reason: string }[];
    expect(entries[0]).toMatchObject({ actor: 'operator:op-real', reason: 'the district named its secret' });
    expect(entries.some((entry) => entry.actor.includes('op-forged'))).toBe(false);
  });

  it('refuses a district decision whose token acts for another district than the path', async () => {
    const answer = await call(
      `${applicationsUrl}/internal/v1/districts/serdika/applications/00000000-0000-4000-8000-000000000000/processing`,
      {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          'If-Match': '"1"',
          ...(await asGateway('applications', { actor: { districtCode: 'vitosha', clientId: 'vitosha:api-key:x' } })),
        },
        body: '{}',
      },
    );
    expect(answer).toMatchObject({ status: 403, body: { code: 'caller_not_allowed' } });
  });

  it('keeps the health probes and the public callbacks open to their own callers', async () => {
    expect((await call(`${districtsUrl}/health/live`)).status).toBe(200);
    // A back office's answer proves itself by its HMAC, not by a service token (on its own listener).
    const callback = await call(`${testEnv.districtsCallbackUrl}/back-office/sredets/decisions`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{}',
    });
    expect(callback.status).toBe(401);
    expect(callback.body.code).not.toMatch(/^service_token/);
  });
});
