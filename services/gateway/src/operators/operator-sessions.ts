import { createHash, randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { GatewayConfig } from '../config';
import { GATEWAY_CONFIG } from '../gateway-config.token';
import type { OperatorPrincipal } from './operator-principal';

export const OPERATOR_SESSION_COOKIE = '__Host-umg-operator-session';

const digest = (token: string) => createHash('sha256').update(token).digest('hex');

/**
 * Server-side operator sessions behind an opaque cookie: signing out, disabling an account or
 * changing its role takes effect on the next request (a self-contained JWT could not be withdrawn).
 */
@Injectable()
export class OperatorSessions {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {}

  get lifetimeSeconds(): number {
    return Math.round(this.config.OPERATOR_SESSION_HOURS * 3600);
  }

  async open(operator: OperatorPrincipal, signedInWith: 'password' | 'oidc'): Promise<string> {
    const token = randomBytes(32).toString('base64url');
    await this.dataSource.query(
      `INSERT INTO gateway.operator_session (token_hash, username, signed_in_with, expires_at)
       VALUES ($1, $2, $3, now() + make_interval(secs => $4))`,
      [digest(token), operator.username, signedInWith, this.lifetimeSeconds],
    );
    await this.dataSource.query(`DELETE FROM gateway.operator_session WHERE expires_at < now()`);
    return token;
  }

  async find(token: string): Promise<OperatorPrincipal | undefined> {
    const [row] = (await this.dataSource.query(
      `SELECT o.username, o.role FROM gateway.operator_session s JOIN gateway.operator o USING (username)
       WHERE s.token_hash = $1 AND s.expires_at > now() AND o.disabled_at IS NULL`,
      [digest(token)],
    )) as OperatorPrincipal[];
    return row;
  }

  async close(token: string): Promise<void> {
    await this.dataSource.query(`DELETE FROM gateway.operator_session WHERE token_hash = $1`, [digest(token)]);
  }
}

/** Reads one cookie from the Cookie header (no cookie parser middleware for a single value). */
export function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return value.join('=');
  }
  return undefined;
}
