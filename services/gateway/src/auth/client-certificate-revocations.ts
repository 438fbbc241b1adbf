import { readFileSync } from 'node:fs';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Logger } from '@umg/logging';
import { SERVICE_LOGGER } from '@umg/platform';
import { gatewayFiles, type GatewayConfig } from '../config';
import { GATEWAY_CONFIG } from '../gateway-config.token';
import {
  certificatesOfPem,
  RevocationListRefused,
  verifyRevocationList,
  type VerifiedRevocationList,
} from './revocation-list';

/** Warn this long before the held list goes stale: the signer must publish a fresh one (`npm run pki -- crl`). */
const STALE_WARNING_MS = 24 * 3_600_000;

/**
 * The revoked client certificates: the newest revocation list (CRL) the signer (`npm run pki`,
 * where the CA key lives) published to `gateway.client_certificate_revocation_list`. The database
 * only carries it: the list counts only when its signature verifies against the client CA, its
 * number is not lower than the one held, and its nextUpdate has not passed. Read again at most
 * every CLIENT_CERTIFICATE_REVOCATION_CACHE_MS, so a revocation takes effect within that, without
 * a restart. Anything else (no list, a forged, older or stale one) fails closed: certificates are
 * refused with 503 until a good list is published; one is never let in unchecked.
 */
@Injectable()
export class ClientCertificateRevocations {
  private held: { list: VerifiedRevocationList; der: Buffer } | undefined;
  private refusal: RevocationListRefused | undefined;
  private loadedAt = Number.NEGATIVE_INFINITY;
  private loading: Promise<void> | undefined;
  private warnedStale = 0;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    @Inject(SERVICE_LOGGER) private readonly logger: Logger,
  ) {}

  /** Throws when there is no list to trust right now: a certificate is never let in unchecked. */
  async isRevoked(serial: string): Promise<boolean> {
    if (performance.now() - this.loadedAt >= this.config.CLIENT_CERTIFICATE_REVOCATION_CACHE_MS) {
      this.loading ??= this.load().finally(() => (this.loading = undefined));
      await this.loading;
    }
    if (this.refusal) throw this.refusal;
    const list = this.held?.list;
    if (!list) throw new RevocationListRefused('no revocation list');
    // RFC 5280: a list past its nextUpdate is not current; the signer re-publishes well before.
    if (list.nextUpdate.getTime() <= Date.now()) {
      throw new RevocationListRefused(`the revocation list expired at ${list.nextUpdate.toISOString()}`);
    }
    return list.revoked.has(serial);
  }

  private async load(): Promise<void> {
    const startedAt = performance.now();
    // A database error is not cached: the next request tries again.
    const [row] = (await this.dataSource.query(
      `SELECT crl_number, der FROM gateway.client_certificate_revocation_list ORDER BY crl_number DESC LIMIT 1`,
    )) as { crl_number: string; der: Buffer }[];
    try {
      this.refusal = undefined;
      if (!row) throw new RevocationListRefused('no revocation list published (npm run pki -- crl)');
      if (!this.held?.der.equals(row.der)) this.accept(await this.verify(row), row.der);
    } catch (error) {
      if (!(error instanceof RevocationListRefused)) throw error;
      this.refusal = error;
      this.logger.error(
        { reason: error.message, heldCrlNumber: this.held?.list.crlNumber },
        'revocation list refused: client certificates are refused until a good list is published',
      );
    }
    this.loadedAt = startedAt;
  }

  private async verify(row: { crl_number: string; der: Buffer }): Promise<VerifiedRevocationList> {
    const list = await verifyRevocationList(row.der, this.caCertificates());
    if (String(list.crlNumber) !== String(row.crl_number)) {
      throw new RevocationListRefused(`published as number ${row.crl_number} but signed as ${list.crlNumber}`);
    }
    const held = this.held?.list.crlNumber;
    // An older list, or another list under the number held: a rollback or a replay, never newer news.
    if (held !== undefined && list.crlNumber <= held) {
      throw new RevocationListRefused(`list ${list.crlNumber} is not newer than list ${held} already held`);
    }
    if (list.nextUpdate.getTime() <= Date.now()) {
      throw new RevocationListRefused(`list ${list.crlNumber} expired at ${list.nextUpdate.toISOString()}`);
    }
    return list;
  }

  private accept(list: VerifiedRevocationList, der: Buffer): void {
    this.held = { list, der };
    this.logger.info(
      { crlNumber: list.crlNumber, revoked: list.revoked.size, nextUpdate: list.nextUpdate.toISOString() },
      'revocation list accepted',
    );
    if (list.nextUpdate.getTime() - Date.now() < STALE_WARNING_MS && this.warnedStale !== list.crlNumber) {
      this.warnedStale = list.crlNumber;
      this.logger.warn(
        { crlNumber: list.crlNumber, nextUpdate: list.nextUpdate.toISOString() },
        'the revocation list goes stale within a day: publish a fresh one (npm run pki -- crl)',
      );
    }
  }

  private caCertificates() {
    const file = gatewayFiles(this.config).clientCa;
    if (!file) throw new RevocationListRefused('no client CA file to verify the list with');
    try {
      return certificatesOfPem(readFileSync(file, 'utf8'));
    } catch {
      throw new RevocationListRefused(`the client CA file ${file} is unreadable`);
    }
  }
}
