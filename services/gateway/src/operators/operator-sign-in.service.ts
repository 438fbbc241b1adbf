import { Inject, Injectable } from '@nestjs/common';
import { AuthenticationError, AuthenticationErrorCode } from '../auth/authentication-error';
import { apiKeysAllowed, type GatewayConfig } from '../config';
import { GATEWAY_CONFIG } from '../gateway-config.token';
import { OperatorAccounts } from './operator-accounts';
import type { OperatorPrincipal } from './operator-principal';
import { OperatorSignInAudit } from './operator-sign-in-audit';
import { type SignInAttempt, SignInThrottle } from './sign-in-throttle';

/**
 * Sign-in with a local account: refused at once while the account name or the address is locked,
 * counted when it fails, audited either way. Demo accounts sign in only in the development and test
 * profiles (which bind to loopback only).
 */
@Injectable()
export class OperatorSignIn {
  constructor(
    private readonly accounts: OperatorAccounts,
    private readonly throttle: SignInThrottle,
    private readonly audit: OperatorSignInAudit,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {}

  async withPassword(attempt: SignInAttempt, password: string): Promise<OperatorPrincipal> {
    const lockedFor = await this.throttle.lockedFor(attempt);
    if (lockedFor > 0) {
      // Not audited one by one: the failures that earned the lock were, and a locked sprayer must
      // not be able to fill the audit table at network speed.
      throw new AuthenticationError(
        AuthenticationErrorCode.TooManySignInAttempts,
        'too many failed sign-ins for this account or from this address; try again later',
        undefined,
        lockedFor,
      );
    }
    const operator = await this.accounts.verifyPassword(attempt.username, password);
    const refusedDemo = operator?.demo === true && !apiKeysAllowed(this.config);
    if (!operator || refusedDemo) {
      await this.throttle.recordFailure(attempt);
      await this.audit.record({
        ...attempt,
        method: 'password',
        outcome: refusedDemo ? 'demo_account_refused' : 'invalid_credentials',
      });
      throw new AuthenticationError(AuthenticationErrorCode.InvalidCredentials, 'wrong username or password');
    }
    await this.throttle.recordSuccess(attempt);
    await this.audit.record({ ...attempt, method: 'password', outcome: 'signed_in' });
    return { username: operator.username, role: operator.role };
  }
}
