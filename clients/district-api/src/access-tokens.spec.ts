import { AccessTokens } from './access-tokens';
import { DistrictApiProblem } from './district-api-problem';

/** A token endpoint that issues numbered tokens and records what it was sent. */
function tokenEndpoint(expiresIn = 300) {
  const requests: { authorization: string | null; body: string }[] = [];
  const fetchImpl = jest.fn(async (_input: Request | string | URL, init?: RequestInit) => {
    const headers = new Headers(init?.headers);
    requests.push({ authorization: headers.get('Authorization'), body: String(init?.body) });
    return Response.json({
      access_token: `token-${requests.length}`,
      token_type: 'Bearer',
      expires_in: expiresIn,
      scope: 'applications:read',
    });
  });
  return { fetchImpl: fetchImpl as unknown as typeof fetch, requests };
}

describe('AccessTokens', () => {
  it('asks by client credentials with HTTP Basic (form-encoded id and secret) and keeps the token', async () => {
    const { fetchImpl, requests } = tokenEndpoint();
    const tokens = new AccessTokens(
      'https://gateway/oauth/token',
      { clientId: 'serdika it', clientSecret: 's:e/c', scope: 'applications:read' },
      fetchImpl,
    );
    expect(await tokens.current()).toBe('token-1');
    expect(await tokens.current()).toBe('token-1');
    expect(requests).toHaveLength(1);
    expect(requests[0]!.authorization).toBe(`Basic ${btoa('serdika+it:s%3Ae%2Fc')}`);
    expect(new URLSearchParams(requests[0]!.body).get('grant_type')).toBe('client_credentials');
    expect(new URLSearchParams(requests[0]!.body).get('scope')).toBe('applications:read');
  });

  it('renews the token 30 s before it expires, not before', async () => {
    const { fetchImpl, requests } = tokenEndpoint(300);
    let now = 1_000_000;
    const tokens = new AccessTokens(
      'https://gateway/oauth/token',
      { clientId: 'a', clientSecret: 'b' },
      fetchImpl,
      () => now,
    );
    expect(await tokens.current()).toBe('token-1');
    now += 269_000;
    expect(await tokens.current()).toBe('token-1');
    now += 1_000;
    expect(await tokens.current()).toBe('token-2');
    expect(requests).toHaveLength(2);
  });

  it('shares one token request among concurrent calls', async () => {
    const { fetchImpl, requests } = tokenEndpoint();
    const tokens = new AccessTokens('https://gateway/oauth/token', { clientId: 'a', clientSecret: 'b' }, fetchImpl);
    expect(await Promise.all([tokens.current(), tokens.current(), tokens.current()])).toEqual([
      'token-1',
      'token-1',
      'token-1',
    ]);
    expect(requests).toHaveLength(1);
  });

  it('gets a new token after the current one is invalidated, and ignores a stale invalidation', async () => {
    const { fetchImpl } = tokenEndpoint();
    const tokens = new AccessTokens('https://gateway/oauth/token', { clientId: 'a', clientSecret: 'b' }, fetchImpl);
    expect(await tokens.current()).toBe('token-1');
    tokens.invalidate('token-1');
    expect(await tokens.current()).toBe('token-2');
    tokens.invalidate('token-1');
    expect(await tokens.current()).toBe('token-2');
  });

  it('throws the token endpoint’s problem as a DistrictApiProblem', async () => {
    const fetchImpl = (async () =>
      new Response(
        JSON.stringify({
          type: 'urn:umg:problem:invalid-client',
          title: 'Client authentication failed',
          status: 401,
          code: 'invalid_client',
          correlationId: 'c-1',
        }),
        { status: 401, headers: { 'Content-Type': 'application/problem+json' } },
      )) as unknown as typeof fetch;
    const tokens = new AccessTokens('https://gateway/oauth/token', { clientId: 'a', clientSecret: 'wrong' }, fetchImpl);
    const error = await tokens.current().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DistrictApiProblem);
    expect(error).toMatchObject({ status: 401, code: 'invalid_client', problem: { correlationId: 'c-1' } });
  });
});
