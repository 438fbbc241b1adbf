import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ExchangeRecorder, sha256Hex } from '@umg/exchange-log';
import type { Logger } from '@umg/logging';
import { SERVICE_LOGGER } from '@umg/platform';

export type SignInOutcome =
  'signed_in' | 'invalid_credentials' | 'locked' | 'demo_account_refused' | 'unknown_identity' | 'failed';

export interface SignInRecord {
  username: string;
  address: string;
  method: 'password' | 'oidc';
  outcome: SignInOutcome;
}

/**
 * Every operator sign-in, failed or not, in `gateway.operator_sign_in_audit`, in the gateway's
 * signed exchange log (before the answer goes out) and in the log.
 */
@Injectable()
export class OperatorSignInAudit {
  constructor(
    private readonly dataSource: DataSource,
    private readonly exchanges: ExchangeRecorder,
    @Inject(SERVICE_LOGGER) private readonly logger: Logger,
  ) {}

  async record(record: SignInRecord): Promise<void> {
    // Names come from the input: bounded, and without the NUL PostgreSQL refuses.
    const username = record.username.slice(0, 128).replaceAll('\u0000', '\uFFFD');
    await this.dataSource.query(
      `INSERT INTO gateway.operator_sign_in_audit (username, address, method, outcome) VALUES ($1, $2, $3, $4)`,
      [username, record.address, record.method, record.outcome],
    );
    await this.exchanges.recordNow({
      party: `operator:${username}`,
      direction: 'inbound',
      operation: `operator sign-in (${record.method})`,
      requestHash: sha256Hex(username),
      outcome: record.outcome,
    });
    const line = { operator: username, address: record.address, method: record.method, outcome: record.outcome };
    if (record.outcome === 'signed_in') this.logger.info(line, 'operator signed in');
    else this.logger.warn(line, 'operator sign-in refused');
  }
}
