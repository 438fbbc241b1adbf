import { AuthenticationError, AuthenticationErrorCode } from '../auth/authentication-error';
import type { GatewayConfig } from '../config';
import type { OperatorAccounts, VerifiedOperator } from './operator-accounts';
import type { OperatorSignInAudit, SignInRecord } from './operator-sign-in-audit';
import { OperatorSignIn } from './operator-sign-in.service';
import type { SignInThrottle } from './sign-in-throttle';

function setUp(options: { lockedFor?: number; account?: VerifiedOperator; profile?: GatewayConfig['NODE_ENV'] }) {
  const verifyPassword = jest.fn(async () => options.account);
  const throttle = {
    lockedFor: jest.fn(async () => options.lockedFor ?? 0),
    recordFailure: jest.fn(async () => undefined),
    recordSuccess: jest.fn(async () => undefined),
  };
  const audited: SignInRecord[] = [];
  const audit = { record: jest.fn(async (record: SignInRecord) => void audited.push(record)) };
  const signIn = new OperatorSignIn(
    { verifyPassword } as unknown as OperatorAccounts,
    throttle as unknown as SignInThrottle,
    audit as unknown as OperatorSignInAudit,
    { NODE_ENV: options.profile ?? 'production' } as GatewayConfig,
  );
  return { signIn, verifyPassword, throttle, audited };
}

const attempt = { username: 'admin.ivanova', address: '203.0.113.7' };
const administrator: VerifiedOperator = { username: 'admin.ivanova', role: 'administrator', demo: false };

async function refusal(promise: Promise<unknown>): Promise<AuthenticationError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(AuthenticationError);
  return error as AuthenticationError;
}

describe('operator sign-in (security review F2, F13)', () => {
  it('refuses a locked account or address before any password hashing or audit row', async () => {
    const { signIn, verifyPassword, audited } = setUp({ lockedFor: 42, account: administrator });

    const error = await refusal(signIn.withPassword(attempt, 'the right password'));

    expect(error.code).toBe(AuthenticationErrorCode.TooManySignInAttempts);
    expect(error.retryAfterSeconds).toBe(42);
    expect(verifyPassword).not.toHaveBeenCalled();
    expect(audited).toEqual([]);
  });

  it('counts and audits a wrong password', async () => {
    const { signIn, throttle, audited } = setUp({});

    expect((await refusal(signIn.withPassword(attempt, 'wrong'))).code).toBe(
      AuthenticationErrorCode.InvalidCredentials,
    );
    expect(throttle.recordFailure).toHaveBeenCalledWith(attempt);
    expect(audited).toEqual([{ ...attempt, method: 'password', outcome: 'invalid_credentials' }]);
  });

  it('refuses a demo account in production like a wrong password', async () => {
    const demo = { username: 'demo-administrator', role: 'administrator' as const, demo: true };
    const { signIn, throttle, audited } = setUp({ account: demo });

    expect((await refusal(signIn.withPassword(attempt, 'demo-administrator-password'))).code).toBe(
      AuthenticationErrorCode.InvalidCredentials,
    );
    expect(throttle.recordFailure).toHaveBeenCalled();
    expect(audited[0]!.outcome).toBe('demo_account_refused');
  });

  it('lets a demo account in under the development profile', async () => {
    const demo = { username: 'demo-viewer', role: 'viewer' as const, demo: true };
    const { signIn } = setUp({ account: demo, profile: 'development' });

    await expect(signIn.withPassword(attempt, 'demo-viewer-password')).resolves.toEqual({
      username: 'demo-viewer',
      role: 'viewer',
    });
  });

  it('clears the account count on success and audits it', async () => {
    const { signIn, throttle, audited } = setUp({ account: administrator });

    await expect(signIn.withPassword(attempt, 'right')).resolves.toEqual({
      username: 'admin.ivanova',
      role: 'administrator',
    });
    expect(throttle.recordSuccess).toHaveBeenCalledWith(attempt);
    expect(audited).toEqual([{ ...attempt, method: 'password', outcome: 'signed_in' }]);
  });
});
