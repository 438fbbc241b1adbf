import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { GatewayConfig } from '../config';
import { GATEWAY_CONFIG } from '../gateway-config.token';

/**
 * The revoked client certificates (`gateway.revoked_client_certificate`, written by
 * `npm run pki -- revoke`). The whole list is small, so it is read at once and kept for at most
 * CLIENT_CERTIFICATE_REVOCATION_CACHE_MS: a revocation takes effect within that, without a restart.
 */
@Injectable()
export class ClientCertificateRevocations {
  private revoked = new Set<string>();
  private loadedAt = Number.NEGATIVE_INFINITY;
  private loading: Promise<void> | undefined;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {}

  /** Throws when the list cannot be read: a certificate is never let in unchecked. */
  async isRevoked(serial: string): Promise<boolean> {
    if (performance.now() - this.loadedAt >= this.config.CLIENT_CERTIFICATE_REVOCATION_CACHE_MS) {
      this.loading ??= this.load().finally(() => (this.loading = undefined));
      await this.loading;
    }
    return this.revoked.has(serial);
  }

  private async load(): Promise<void> {
    const startedAt = performance.now();
    const rows = (await this.dataSource.query(`SELECT serial FROM gateway.revoked_client_certificate`)) as {
      serial: string;
    }[];
    this.revoked = new Set(rows.map((row) => row.serial));
    this.loadedAt = startedAt;
  }
}
