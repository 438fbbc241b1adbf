import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { hashSecret, verifySecret } from '../auth/secret-hash';
import type { OperatorPrincipal } from './operator-principal';
import type { OperatorRole } from './operator-role';

interface OperatorRow {
  username: string;
  password_hash: string | null;
  role: OperatorRole;
}

/** Spent on unknown usernames too, so the answer time does not tell which accounts exist. */
const decoyHash = 'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';

/** Local operator accounts (`gateway.operator`); created by `npm run pki -- operator`. */
@Injectable()
export class OperatorAccounts {
  constructor(private readonly dataSource: DataSource) {}

  async verifyPassword(username: string, password: string): Promise<OperatorPrincipal | undefined> {
    const account = await this.find(username);
    const matches = await verifySecret(password, account?.password_hash ?? decoyHash);
    return account?.password_hash && matches ? { username: account.username, role: account.role } : undefined;
  }

  /** An active account by name, for a sign-in the identity provider vouched for. */
  async active(username: string): Promise<OperatorPrincipal | undefined> {
    const account = await this.find(username);
    return account ? { username: account.username, role: account.role } : undefined;
  }

  private async find(username: string): Promise<OperatorRow | undefined> {
    // No account can have such a name, and PostgreSQL refuses NUL in text: not worth a query.
    if (username.length === 0 || username.length > 128 || username.includes('\u0000')) return undefined;
    const [row] = (await this.dataSource.query(
      `SELECT username, password_hash, role FROM gateway.operator WHERE username = $1 AND disabled_at IS NULL`,
      [username],
    )) as OperatorRow[];
    return row;
  }
}

/** Creates or updates an account (the password is optional for accounts that sign in through OIDC only). */
export async function saveOperator(
  dataSource: DataSource,
  username: string,
  role: OperatorRole,
  password: string | undefined,
): Promise<void> {
  await dataSource.query(
    `INSERT INTO gateway.operator (username, password_hash, role) VALUES ($1, $2, $3)
     ON CONFLICT (username) DO UPDATE SET password_hash = excluded.password_hash, role = excluded.role, disabled_at = NULL`,
    [username, password ? await hashSecret(password) : null, role],
  );
}
