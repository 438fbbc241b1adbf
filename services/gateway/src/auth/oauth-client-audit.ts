import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Logger } from '@umg/logging';
import { SERVICE_LOGGER } from '@umg/platform';

export type ClientAuthenticationOutcome = 'invalid_client' | 'missing_credentials';

/** Every failed client authentication at `/oauth/token`, in `gateway.oauth_client_audit` and in the log. */
@Injectable()
export class OAuthClientAudit {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(SERVICE_LOGGER) private readonly logger: Logger,
  ) {}

  async recordFailure(clientId: string, address: string, outcome: ClientAuthenticationOutcome): Promise<void> {
    // Ids come from the input: bounded, and without the NUL PostgreSQL refuses.
    const client = clientId.slice(0, 128).replaceAll('\u0000', '\uFFFD');
    await this.dataSource.query(
      `INSERT INTO gateway.oauth_client_audit (client_id, address, outcome) VALUES ($1, $2, $3)`,
      [client, address, outcome],
    );
    this.logger.warn({ oauthClient: client, address, outcome }, 'OAuth client authentication refused');
  }
}
