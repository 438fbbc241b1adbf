import { randomUUID } from 'node:crypto';
import type { OperatorApi } from '@umg/contracts';
import { pkiCommand } from './identity';
import { testEnv } from './test-env';

type Role = OperatorApi.components['schemas']['OperatorRole'];

/** An operator signed in at the gateway: calls the operator API with the session cookie. */
export interface OperatorSession {
  username: string;
  call<T>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }>;
}

/** Creates an operator account with the PKI command and signs it in. */
export async function signedInOperator(role: Role, prefix: string): Promise<OperatorSession> {
  const username = `${prefix}-${role}-${randomUUID().slice(0, 8)}`;
  const password = `correct horse ${randomUUID()}`;
  const created = pkiCommand(['operator', username, role], { OPERATOR_PASSWORD: password });
  if (!created.output.includes(`operator ${username}: ${role}`)) throw new Error(created.output);
  const signIn = () =>
    fetch(`${testEnv.gatewayUrl}/operator/v1/session`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username, password }),
    });
  // A pooled socket the gateway closed while the PKI command blocked this process fails once.
  const response = await signIn().catch(() => signIn());
  if (response.status !== 201) throw new Error(`sign-in of ${username}: ${response.status}`);
  const cookie = response.headers.get('set-cookie')!.split(';')[0]!;
  return {
    username,
    async call<T>(method: string, path: string, body?: unknown) {
      const answer = await fetch(`${testEnv.gatewayUrl}${path}`, {
        method,
        headers: { Cookie: cookie, ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await answer.text();
      return { status: answer.status, body: (text ? JSON.parse(text) : undefined) as T };
    },
  };
}
