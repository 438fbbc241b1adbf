import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { hashPassword, needsRehash, verifySecret } from '../auth/secret-hash';
import type { OperatorPrincipal } from './operator-principal';
import type { OperatorRole } from './operator-role';

interface OperatorRow {
  username: string;
  password_hash: string | null;
  role: OperatorRole;
  demo: boolean;
}

/** A local account whose password matched. */
export interface VerifiedOperator extends OperatorPrincipal {
  /** A demo account of `npm start`: refused outside the development and test profiles. */
  demo: boolean;
}

/** The shortest operator password accepted, wherever an account is saved. */
export const minimumPasswordLength = 12;

/** Spent on unknown usernames too (at today's cost), so the answer time does not tell which accounts exist. */
const decoyHash = 'scrypt$16384$8$5$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';

/** Local operator accounts (`gateway.operator`); created by `npm run pki -- operator`. */
@Injectable()
export class OperatorAccounts {
  constructor(private readonly dataSource: DataSource) {}

  /** The account when the password matches; a hash made with older parameters is replaced on the way. */
  async verifyPassword(username: string, password: string): Promise<VerifiedOperator | undefined> {
    const account = await this.find(username);
    const matches = await verifySecret(password, account?.password_hash ?? decoyHash);
    if (!account?.password_hash || !matches) return undefined;
    if (needsRehash(account.password_hash)) {
      // Only if the hash is still the one just checked: a concurrent password change wins.
      await this.dataSource.query(
        `UPDATE gateway.operator SET password_hash = $1 WHERE username = $2 AND password_hash = $3`,
        [await hashPassword(password), account.username, account.password_hash],
      );
    }
    return { username: account.username, role: account.role, demo: account.demo };
  }

  /** The active account bound to an identity of the provider (issuer and subject, never a mutable claim). */
  async byOidcIdentity(issuer: string, subject: string): Promise<OperatorPrincipal | undefined> {
    const [row] = (await this.dataSource.query(
      `SELECT username, role FROM gateway.operator
       WHERE oidc_issuer = $1 AND oidc_subject = $2 AND disabled_at IS NULL AND NOT demo`,
      [issuer, subject],
    )) as OperatorRow[];
    return row ? { username: row.username, role: row.role } : undefined;
  }

  private async find(username: string): Promise<OperatorRow | undefined> {
    // No account can have such a name, and PostgreSQL refuses NUL in text: not worth a query.
    if (username.length === 0 || username.length > 128 || username.includes('\u0000')) return undefined;
    const [row] = (await this.dataSource.query(
      `SELECT username, password_hash, role, demo FROM gateway.operator WHERE username = $1 AND disabled_at IS NULL`,
      [username],
    )) as OperatorRow[];
    return row;
  }
}

export interface OperatorAccountOptions {
  /** A demo account (`npm start`): signs in only under NODE_ENV development or test. */
  demo?: boolean;
  /** Binds the account to this identity of the OIDC provider (issuer URL and `sub`). */
  oidc?: { issuer: string; subject: string };
}

/**
 * Creates or updates an account (the password is optional for accounts that sign in through OIDC
 * only). A new password or role ends the account's open sessions.
 */
export async function saveOperator(
  dataSource: DataSource,
  username: string,
  role: OperatorRole,
  password: string | undefined,
  options: OperatorAccountOptions = {},
): Promise<void> {
  if (password !== undefined && password.length < minimumPasswordLength) {
    throw new Error(`the password needs ${minimumPasswordLength} characters or more`);
  }
  await dataSource.transaction(async (manager) => {
    await manager.query(
      `INSERT INTO gateway.operator (username, password_hash, role, demo, oidc_issuer, oidc_subject)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (username) DO UPDATE SET password_hash = excluded.password_hash, role = excluded.role,
         demo = excluded.demo, oidc_issuer = excluded.oidc_issuer, oidc_subject = excluded.oidc_subject,
         disabled_at = NULL`,
      [
        username,
        password ? await hashPassword(password) : null,
        role,
        options.demo ?? false,
        options.oidc?.issuer ?? null,
        options.oidc?.subject ?? null,
      ],
    );
    await manager.query(`DELETE FROM gateway.operator_session WHERE username = $1`, [username]);
  });
}

/** Disables an account and ends its sessions at once (a live event stream closes at its next check). */
export async function disableOperator(dataSource: DataSource, username: string): Promise<boolean> {
  return dataSource.transaction(async (manager) => {
    const [, count] = (await manager.query(
      `UPDATE gateway.operator SET disabled_at = now() WHERE username = $1 AND disabled_at IS NULL`,
      [username],
    )) as [unknown, number];
    await manager.query(`DELETE FROM gateway.operator_session WHERE username = $1`, [username]);
    return count > 0;
  });
}
