import { randomUUID } from 'node:crypto';
import type { Problem } from '@umg/contracts';
import { pkiCommand } from './support/identity';
import { testEnv } from './support/test-env';

/** Operators sign in with a local account and get an HttpOnly, Secure, SameSite=Strict session cookie. */
describe('operator sign-in', () => {
  const username = `operator-${randomUUID().slice(0, 8)}`;
  const password = `correct horse ${randomUUID()}`;

  beforeAll(() => {
    const created = pkiCommand(['operator', username, 'operator'], { OPERATOR_PASSWORD: password });
    expect(created.output).toContain(`operator ${username}: operator`);
  });

  const signIn = (body: unknown) =>
    fetch(`${testEnv.gatewayUrl}/operator/v1/session`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
  const me = (cookie?: string) =>
    fetch(`${testEnv.gatewayUrl}/operator/v1/me`, { headers: cookie ? { Cookie: cookie } : {} });

  it('refuses a wrong password and an unknown operator alike', async () => {
    for (const body of [
      { username, password: 'wrong password here' },
      { username: 'nobody-at-all', password },
      // Names no account can have (found by the bad-input run: a NUL once reached PostgreSQL).
      { username: 'no\u0000body', password },
      { username: 'x'.repeat(10_000), password },
    ]) {
      const response = await signIn(body);
      expect(response.status).toBe(401);
      expect(((await response.json()) as Problem).code).toBe('invalid_credentials');
    }
  });

  it('signs in, shows who is signed in, and signs out', async () => {
    const response = await signIn({ username, password });
    expect(response.status).toBe(201);
    expect(await response.json()).toMatchObject({ username, role: 'operator' });
    const setCookie = response.headers.get('set-cookie')!;
    expect(setCookie).toMatch(/^__Host-umg-operator-session=[\w-]{40,};/);
    expect(setCookie).toContain('HttpOnly');
    expect(setCookie).toContain('Secure');
    expect(setCookie).toContain('SameSite=Strict');
    const cookie = setCookie.split(';')[0]!;

    const signedIn = await me(cookie);
    expect(signedIn.status).toBe(200);
    expect(await signedIn.json()).toEqual({ username, role: 'operator' });

    const signedOut = await fetch(`${testEnv.gatewayUrl}/operator/v1/session`, {
      method: 'DELETE',
      headers: { Cookie: cookie },
    });
    expect(signedOut.status).toBe(204);
    const after = await me(cookie);
    expect(after.status).toBe(401);
    expect(((await after.json()) as Problem).code).toBe('operator_session_required');
  });

  it('refuses the operator API without a session', async () => {
    const response = await me();
    expect(response.status).toBe(401);
    expect(((await response.json()) as Problem).code).toBe('operator_session_required');
  });
});
