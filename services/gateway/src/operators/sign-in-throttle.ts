import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { GatewayConfig } from '../config';
import { GATEWAY_CONFIG } from '../gateway-config.token';

/** What a sign-in attempt is counted against: the account name it tried and the address it came from. */
export interface SignInAttempt {
  username: string;
  address: string;
}

// Names come from the input: bounded, and without the NUL PostgreSQL refuses in text.
const accountKey = (username: string) => `account:${username.slice(0, 128).replaceAll('\u0000', '\uFFFD')}`;
const addressKey = (address: string) => `address:${address}`;

/** One thing failures are counted against (an account name, an OAuth client id, an address) and its limit. */
export interface ThrottledKey {
  key: string;
  failures: number;
}

export interface ThrottleWindow {
  windowSeconds: number;
  lockSeconds: number;
}

/**
 * Failed sign-ins counted per key in PostgreSQL, so every gateway instance sees the same counts:
 * operator sign-ins per account name and per client address, OAuth client authentications at
 * `/oauth/token` per client id and per address. Too many failures within the window lock the key
 * (a name known or not, so a lock says nothing about which accounts exist) for a while; a locked
 * attempt is refused before any hashing, so a spray cannot buy scrypt work either.
 */
@Injectable()
export class SignInThrottle {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {}

  /** Seconds until the attempt may be made, or 0 when neither its account nor its address is locked. */
  lockedFor(attempt: SignInAttempt): Promise<number> {
    return this.lockedForKeys(this.operatorKeys(attempt).map(({ key }) => key));
  }

  recordFailure(attempt: SignInAttempt): Promise<void> {
    return this.recordFailureOf(this.operatorKeys(attempt), {
      windowSeconds: this.config.OPERATOR_SIGN_IN_WINDOW_SECONDS,
      lockSeconds: this.config.OPERATOR_SIGN_IN_LOCK_SECONDS,
    });
  }

  /** A correct password clears its account's count (not the address's: one known password must not reset a spray). */
  async recordSuccess(attempt: SignInAttempt): Promise<void> {
    await this.forget(accountKey(attempt.username));
  }

  /** Seconds until none of `keys` is locked any more; 0 when none is. */
  async lockedForKeys(keys: string[]): Promise<number> {
    const [row] = (await this.dataSource.query(
      `SELECT ceil(extract(epoch FROM max(locked_until) - now()))::int AS seconds
       FROM gateway.sign_in_throttle WHERE key = ANY($1) AND locked_until > now()`,
      [keys],
    )) as { seconds: number | null }[];
    return Math.max(0, row?.seconds ?? 0);
  }

  async recordFailureOf(
    keys: ThrottledKey[],
    { windowSeconds: window, lockSeconds: lock }: ThrottleWindow,
  ): Promise<void> {
    for (const { key, failures: limit } of keys) {
      // One statement per key: concurrent failures on N instances all count (row lock of the upsert).
      await this.dataSource.query(
        `INSERT INTO gateway.sign_in_throttle AS t (key, failures, window_started_at, locked_until)
         VALUES ($1, 1, now(), CASE WHEN $2::int <= 1 THEN now() + make_interval(secs => $3) END)
         ON CONFLICT (key) DO UPDATE SET
           failures = CASE WHEN t.window_started_at < now() - make_interval(secs => $4) THEN 1 ELSE t.failures + 1 END,
           window_started_at = CASE WHEN t.window_started_at < now() - make_interval(secs => $4)
             THEN now() ELSE t.window_started_at END,
           locked_until = CASE
             WHEN t.window_started_at >= now() - make_interval(secs => $4) AND t.failures + 1 >= $2::int
             THEN now() + make_interval(secs => $3) ELSE t.locked_until END`,
        [key, limit, lock, window],
      );
    }
    // Names that were only tried once must not pile up: forget windows that ended and locks that expired.
    if (Math.random() < 0.05) {
      await this.dataSource.query(
        `DELETE FROM gateway.sign_in_throttle
         WHERE window_started_at < now() - make_interval(secs => $1) AND (locked_until IS NULL OR locked_until < now())`,
        [window],
      );
    }
  }

  async forget(key: string): Promise<void> {
    await this.dataSource.query(`DELETE FROM gateway.sign_in_throttle WHERE key = $1`, [key]);
  }

  private operatorKeys(attempt: SignInAttempt): ThrottledKey[] {
    return [
      { key: accountKey(attempt.username), failures: this.config.OPERATOR_SIGN_IN_ACCOUNT_FAILURES },
      { key: addressKey(attempt.address), failures: this.config.OPERATOR_SIGN_IN_ADDRESS_FAILURES },
    ];
  }
}
