import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { openSealedSecret, type SealedSecret } from '@umg/config';
import type { Logger } from '@umg/logging';
import { InjectLogger } from '../inject-logger';
import { PAYMENTS_CONFIG } from '../payments-config.token';
import type { PaymentsConfig } from '../config';
import type { PaymentSystemCredentials } from './payment-system.client';

/** A client whose credentials the payment system refused, and until when calls for it wait. */
export interface HeldClient {
  clientId: string;
  until: Date;
}

/**
 * The payment-system clients requests are signed with: the municipality's (id and secret from
 * configuration) and any district's own (secret sealed in `payments.payment_system_client`, opened
 * only to sign). A 401 puts a client on hold: its calls wait instead of hammering the system with
 * credentials it refuses, until the hold ends (one probe) or an operator gives it a new secret.
 */
@Injectable()
export class PaymentSystemClients {
  constructor(
    @Inject(PAYMENTS_CONFIG) private readonly config: PaymentsConfig,
    @InjectLogger() private readonly logger: Logger,
  ) {}

  get municipalityClientId(): string {
    return this.config.PAYMENT_SYSTEM_CLIENT_ID;
  }

  /** The credentials of a client; undefined when its secret is unknown here (or cannot be opened). */
  async credentials(manager: EntityManager, clientId: string | null): Promise<PaymentSystemCredentials | undefined> {
    const id = clientId ?? this.municipalityClientId;
    if (id === this.municipalityClientId) return { clientId: id, secret: this.config.PAYMENT_SYSTEM_SECRET };
    const [row] = (await manager.query(
      `SELECT sealed_secret FROM payments.payment_system_client WHERE client_id = $1`,
      [id],
    )) as { sealed_secret: SealedSecret | null }[];
    if (!row?.sealed_secret) return undefined;
    try {
      return { clientId: id, secret: openSealedSecret(this.config.SECRETS_KEY, row.sealed_secret) };
    } catch (error) {
      this.logger.error(
        { clientId: id, err: error },
        'a payment-system client secret cannot be opened (wrong SECRETS_KEY?)',
      );
      return undefined;
    }
  }

  /** Whether calls of this client are on hold after a 401, and until when. */
  async heldUntil(manager: EntityManager, clientId: string): Promise<Date | undefined> {
    const [row] = (await manager.query(
      `SELECT unauthorized_at + make_interval(secs => $2) AS until FROM payments.payment_system_client
        WHERE client_id = $1 AND unauthorized_at IS NOT NULL AND unauthorized_at + make_interval(secs => $2) > now()`,
      [clientId, this.config.PAYMENTS_UNAUTHORIZED_HOLD_MS / 1000],
    )) as { until: Date }[];
    return row?.until;
  }

  /**
   * Whether calls of this client are on hold (and until when), and whether a hold is recorded at
   * all (an ended one too): only then does a call that goes through have a hold to lift.
   */
  async standing(manager: EntityManager, clientId: string): Promise<{ heldUntil?: Date; flagged: boolean }> {
    const [row] = (await manager.query(
      `SELECT CASE WHEN unauthorized_at + make_interval(secs => $2) > now()
                   THEN unauthorized_at + make_interval(secs => $2) END AS until
         FROM payments.payment_system_client WHERE client_id = $1 AND unauthorized_at IS NOT NULL`,
      [clientId, this.config.PAYMENTS_UNAUTHORIZED_HOLD_MS / 1000],
    )) as { until: Date | null }[];
    return row ? { flagged: true, ...(row.until ? { heldUntil: row.until } : {}) } : { flagged: false };
  }

  /** The payment system answered 401 for this client: hold every queued call of it. */
  async markUnauthorized(manager: EntityManager, clientId: string, detail: string): Promise<Date> {
    const [row] = (await manager.query(
      `INSERT INTO payments.payment_system_client (client_id, unauthorized_at, unauthorized_detail, updated_at)
       VALUES ($1, now(), $2, now())
       ON CONFLICT (client_id) DO UPDATE SET unauthorized_at = now(), unauthorized_detail = $2, updated_at = now()
       RETURNING unauthorized_at + make_interval(secs => $3) AS until`,
      [clientId, detail.slice(0, 1000), this.config.PAYMENTS_UNAUTHORIZED_HOLD_MS / 1000],
    )) as { until: Date }[];
    return row!.until;
  }

  /** A call went through with this client: whatever hold it had is over. */
  async markAuthorized(manager: EntityManager, clientId: string): Promise<void> {
    await manager.query(
      `UPDATE payments.payment_system_client SET unauthorized_at = NULL, unauthorized_detail = NULL, updated_at = now()
        WHERE client_id = $1 AND unauthorized_at IS NOT NULL`,
      [clientId],
    );
  }

  /** A (new) sealed secret from the registry: stored, any hold lifted and held calls due again. */
  async storeSecret(manager: EntityManager, clientId: string, sealedSecret: SealedSecret): Promise<void> {
    const [row] = (await manager.query(
      `INSERT INTO payments.payment_system_client (client_id, sealed_secret, updated_at) VALUES ($1, $2, now())
       ON CONFLICT (client_id) DO UPDATE SET sealed_secret = EXCLUDED.sealed_secret,
         unauthorized_at = CASE WHEN payments.payment_system_client.sealed_secret IS DISTINCT FROM EXCLUDED.sealed_secret
                                THEN NULL ELSE payments.payment_system_client.unauthorized_at END,
         updated_at = now()
       RETURNING unauthorized_at`,
      [clientId, sealedSecret],
    )) as { unauthorized_at: Date | null }[];
    if (row && row.unauthorized_at === null) await this.releaseHeldCalls(manager, clientId);
  }

  /** Calls of a client waiting out a hold become due now (its credentials were replaced). */
  private async releaseHeldCalls(manager: EntityManager, clientId: string): Promise<void> {
    await manager.query(
      `UPDATE payments.outbound_call c SET next_attempt_at = now()
         FROM payments.payment_request r
        WHERE c.payment_request_id = r.id AND c.done_at IS NULL AND c.next_attempt_at > now()
          AND coalesce(r.payment_system_client_id, $2) = $1`,
      [clientId, this.municipalityClientId],
    );
  }

  /** Clients on hold now, for the metric, the alert and operators. */
  async held(manager: EntityManager): Promise<(HeldClient & { detail: string | null; since: Date })[]> {
    const rows = (await manager.query(
      `SELECT client_id, unauthorized_at, unauthorized_detail, unauthorized_at + make_interval(secs => $1) AS until
         FROM payments.payment_system_client WHERE unauthorized_at IS NOT NULL ORDER BY client_id`,
      [this.config.PAYMENTS_UNAUTHORIZED_HOLD_MS / 1000],
    )) as { client_id: string; unauthorized_at: Date; unauthorized_detail: string | null; until: Date }[];
    return rows.map((row) => ({
      clientId: row.client_id,
      since: row.unauthorized_at,
      until: row.until,
      detail: row.unauthorized_detail,
    }));
  }
}
