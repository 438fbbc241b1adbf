import { randomUUID } from 'node:crypto';
import type { Problem } from '@umg/contracts';
import { query } from './support/database';
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

  it('ends every session of an account when its password changes, and when it is disabled', async () => {
    const name = `operator-${randomUUID().slice(0, 8)}`;
    const first = `first password ${randomUUID()}`;
    const second = `second password ${randomUUID()}`;
    expect(pkiCommand(['operator', name, 'viewer'], { OPERATOR_PASSWORD: first }).status).toBe(0);
    const cookieOf = async (secret: string) => {
      const response = await signIn({ username: name, password: secret });
      expect(response.status).toBe(201);
      return response.headers.get('set-cookie')!.split(';')[0]!;
    };

    const before = await cookieOf(first);
    expect((await me(before)).status).toBe(200);
    expect(pkiCommand(['operator', name, 'viewer'], { OPERATOR_PASSWORD: second }).status).toBe(0);
    expect((await me(before)).status).toBe(401);
    expect((await signIn({ username: name, password: first })).status).toBe(401);

    const after = await cookieOf(second);
    expect(pkiCommand(['disable-operator', name]).output).toContain('disabled, sessions ended');
    expect((await me(after)).status).toBe(401);
    expect((await signIn({ username: name, password: second })).status).toBe(401);
  });

  it('audits a failed sign-in with the address it came from', async () => {
    const name = `operator-${randomUUID().slice(0, 8)}`;
    await signIn({ username: name, password: 'not the password' });
    const rows = await query<{ outcome: string; address: string; method: string }>(
      `SELECT outcome, address, method FROM gateway.operator_sign_in_audit WHERE username = $1`,
      [name],
    );
    expect(rows).toEqual([
      { outcome: 'invalid_credentials', address: expect.stringMatching(/127\.0\.0\.1$/), method: 'password' },
    ]);
  });

  it('refuses a too short password when an account is saved', () => {
    const result = pkiCommand(['operator', `operator-${randomUUID().slice(0, 8)}`, 'viewer'], {
      OPERATOR_PASSWORD: 'short',
    });
    expect(result.status).not.toBe(0);
    expect(result.output).toContain('12 characters');
  });
});
