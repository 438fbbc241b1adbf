import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { Logger } from '@umg/logging';
import { backoffDelay, PeriodicWorker } from '@umg/messaging';
import { WorkNotifications } from '@umg/persistence';
import type { PaymentsConfig } from '../config';
import { ConfirmStatusesService } from '../confirmation/confirm-statuses.service';
import { DeskPaymentService } from '../desk-payment/desk-payment.service';
import { InjectLogger } from '../inject-logger';
import { PaymentRequestEntity } from '../payment-request/payment-request.entity';
import type { PaymentRequestProblem } from '../payment-request/payment-request-status';
import { PAYMENTS_CONFIG } from '../payments-config.token';
import {
  type PaymentSystemCredentials,
  PaymentSystemClient,
  PaymentSystemUnauthorizedError,
  PaymentSystemUnavailableError,
} from '../payment-system/payment-system.client';
import { PaymentSystemClients } from '../payment-system/payment-system-clients';
import { SendPaymentRequest } from '../request-payment/send-payment-request';
import { SuspendPaymentService } from '../suspend-payment/suspend-payment.service';
import type { OutboundCallOutcome } from './outbound-call-outcome';
import type { OutboundCallKind } from './outbound-calls';

interface DueCall {
  id: string;
  payment_request_id: string;
  kind: OutboundCallKind;
  attempts: number;
  payload: Record<string, unknown> | null;
}

// paymentsStatus takes a list: confirmations of one client go out together.
const confirmationBatch = 50;
// Other calls are made one after another in one transaction: a few per claim saves a transaction
// each, while the locks they hold stay short (each call has a deadline).
const callBatch = 10;

/** What a round knows of a client's hold: read once per round, not once per call. */
interface ClientStanding {
  heldUntil?: Date;
  /** A hold is recorded (perhaps ended): the first call that goes through lifts it. */
  flagged: boolean;
}

/**
 * Makes the queued calls to the payment system, woken by a NOTIFY when one is queued. Calls are
 * claimed in small batches with `FOR UPDATE SKIP LOCKED` and made one after another inside the
 * batch's transaction, so instances never make the same call twice at once and an answer is
 * recorded together with the call being done (a database failure after the calls undoes the
 * batch's records and its calls are made again, as a single call's was before; hence small
 * batches). Every call is bounded:
 * - an outage (no answer, 5xx, 429) is retried with exponential backoff and full jitter, at most
 *   PAYMENTS_SEND_MAX_ATTEMPTS times; then the call is given up, the request shows why (a
 *   creation becomes `send_failed`) and an operator can retry it;
 * - while the circuit breaker is open nothing is sent and no attempt is counted;
 * - a 401 is our configuration, not an outage: the client is put on hold, its calls wait (no
 *   attempts counted, no POSTs) until the hold ends or an operator gives it a new secret.
 */
@Injectable()
export class OutboundWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly worker: PeriodicWorker;
  private readonly notifications: WorkNotifications;

  constructor(
    private readonly dataSource: DataSource,
    private readonly paymentSystem: PaymentSystemClient,
    private readonly clients: PaymentSystemClients,
    private readonly sendRequest: SendPaymentRequest,
    private readonly suspendPayment: SuspendPaymentService,
    private readonly deskPayment: DeskPaymentService,
    private readonly confirmStatuses: ConfirmStatusesService,
    @Inject(PAYMENTS_CONFIG) private readonly config: PaymentsConfig,
    @InjectLogger() private readonly logger: Logger,
  ) {
    // A queued call NOTIFYs (a trigger on payments.outbound_call); polling is the safety net, fast
    // only while the notification connection is down.
    this.notifications = new WorkNotifications({
      databaseUrl: config.DATABASE_URL,
      channels: ['payments_outbound_call'],
      applicationName: 'payments-outbound-wakeups',
      onWork: () => this.worker.wake(),
      onError: (error) =>
        logger.warn({ err: error }, 'outbound worker LISTEN connection lost; polling until it is back'),
    });
    // A failure is the database away (or a bug): the queue keeps the work, the worker backs off.
    this.worker = new PeriodicWorker(
      {
        name: 'outbound worker',
        intervalMs: () => this.pollMs(),
        firstRoundAfterMs: 0,
        backoff: { baseMs: 500, maxMs: 30_000 },
      },
      logger,
      () => this.round(),
    );
  }

  onApplicationBootstrap(): void {
    this.notifications.start();
    this.worker.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.notifications.stop();
    await this.worker.stop();
  }

  private pollMs(): number {
    return this.notifications.listening ? this.config.PAYMENTS_WAKE_SAFETY_MS : this.config.PAYMENTS_SEND_POLL_MS;
  }

  /**
   * A batch of calls and one of confirmations, in one transaction, and only what is due: a look at
   * the next due times comes first, so a round with nothing to do is one statement and no
   * transaction. Goes on at once while there was work; else waits until the next call is due.
   */
  private async round(): Promise<number | void> {
    const breakerWait = this.paymentSystem.breaker.waitMs();
    if (breakerWait > 0) return Math.min(breakerWait, this.config.PAYMENTS_BREAKER_RESET_MS);
    const [due] = (await this.dataSource.query(
      `SELECT extract(epoch FROM min(next_attempt_at) FILTER (WHERE kind <> 'confirm') - now()) * 1000 AS calls_in_ms,
              extract(epoch FROM min(next_attempt_at) FILTER (WHERE kind = 'confirm') - now()) * 1000 AS confirms_in_ms
         FROM payments.outbound_call WHERE done_at IS NULL`,
    )) as { calls_in_ms: number | null; confirms_in_ms: number | null }[];
    const callsDue = due?.calls_in_ms !== null && due?.calls_in_ms !== undefined && Number(due.calls_in_ms) <= 0;
    const confirmsDue =
      due?.confirms_in_ms !== null && due?.confirms_in_ms !== undefined && Number(due.confirms_in_ms) <= 0;
    if (!callsDue && !confirmsDue) {
      const next = [due?.calls_in_ms, due?.confirms_in_ms]
        .filter((ms): ms is number => ms !== null && ms !== undefined)
        .map(Number);
      return Math.max(1, Math.min(this.pollMs(), ...next.map((ms) => Math.ceil(ms))));
    }
    const worked = await this.dataSource.transaction(async (manager) => {
      const standings = new Map<string, ClientStanding>();
      const called = callsDue ? await this.makeCalls(manager, standings) : false;
      const confirmed = confirmsDue ? await this.confirmBatch(manager, standings) : false;
      return called || confirmed;
    });
    // Due rows another instance holds: look again after the poll interval, not at once.
    return worked ? 0 : this.config.PAYMENTS_SEND_POLL_MS;
  }

  /** Up to a batch of due calls (not confirmations), each made and recorded in turn. */
  private async makeCalls(manager: EntityManager, standings: Map<string, ClientStanding>): Promise<boolean> {
    const calls = (await manager.query(
      `SELECT id, payment_request_id, kind, attempts, payload FROM payments.outbound_call
        WHERE done_at IS NULL AND next_attempt_at <= now() AND kind <> 'confirm'
        ORDER BY next_attempt_at, id LIMIT $1 FOR UPDATE SKIP LOCKED`,
      [callBatch],
    )) as DueCall[];
    if (calls.length === 0) return false;
    const requests = await this.lockRequests(manager, calls);
    const finished: { done: string[]; waiting: string[] } = { done: [], waiting: [] };
    for (const call of calls) {
      const request = requests.get(call.payment_request_id);
      if (!request) throw new Error(`outbound call ${call.id} refers to no payment request`);
      const outcome = await this.makeCall(manager, call, request, standings);
      if (outcome) finished[outcome === 'done' ? 'done' : 'waiting'].push(call.id);
    }
    if (finished.done.length > 0) {
      await manager.query(
        `UPDATE payments.outbound_call SET done_at = now(), attempts = attempts + 1, last_error = NULL WHERE id = ANY($1)`,
        [finished.done],
      );
    }
    if (finished.waiting.length > 0) {
      await manager.query(
        `UPDATE payments.outbound_call SET next_attempt_at = now() + make_interval(secs => $2) WHERE id = ANY($1)`,
        [finished.waiting, this.config.PAYMENTS_SEND_POLL_MS / 1000],
      );
    }
    return true;
  }

  /** The requests of the calls, locked in id order (no deadlock with another instance). */
  private async lockRequests(manager: EntityManager, calls: DueCall[]): Promise<Map<string, PaymentRequestEntity>> {
    const requests = await manager.find(PaymentRequestEntity, {
      where: [...new Set(calls.map((call) => call.payment_request_id))].map((id) => ({ id })),
      order: { id: 'ASC' },
      lock: { mode: 'pessimistic_write' },
    });
    return new Map(requests.map((request) => [request.id, request]));
  }

  /** One call; answers its outcome when it went through, undefined when it failed or waits (already recorded). */
  private async makeCall(
    manager: EntityManager,
    call: DueCall,
    request: PaymentRequestEntity,
    standings: Map<string, ClientStanding>,
  ): Promise<OutboundCallOutcome | undefined> {
    const credentials = await this.credentialsOrHold(manager, request, [call], standings);
    if (!credentials) return undefined;
    let outcome: OutboundCallOutcome;
    try {
      // In a savepoint: a database error after the call (e.g. an id the system gave twice) undoes
      // only the call's own writes, and the attempt is still counted, so it stays bounded.
      outcome = await manager.transaction((inner) => this.perform(inner, call, request, credentials));
    } catch (error) {
      await this.failed(manager, [call], credentials.clientId, error, standings);
      return undefined;
    }
    await this.authorized(manager, credentials.clientId, standings);
    return outcome;
  }

  private perform(
    manager: EntityManager,
    call: DueCall,
    request: PaymentRequestEntity,
    credentials: PaymentSystemCredentials,
  ): Promise<OutboundCallOutcome> {
    switch (call.kind) {
      case 'create':
        return this.sendRequest.send(manager, request, credentials);
      case 'access_code':
        return this.sendRequest.fetchAccessCode(manager, request, credentials);
      case 'suspend':
        return this.suspendPayment.perform(manager, request, credentials);
      case 'set_paid':
        return this.deskPayment.perform(manager, request, credentials, call.payload);
      case 'confirm':
        throw new Error('confirmations go in batches');
    }
  }

  /** Up to a batch of due confirmations of one client, in one `paymentsStatus` call. */
  private async confirmBatch(manager: EntityManager, standings: Map<string, ClientStanding>): Promise<boolean> {
    const calls = (await manager.query(
      `SELECT c.id, c.payment_request_id, c.kind, c.attempts, c.payload FROM payments.outbound_call c
         JOIN payments.payment_request r ON r.id = c.payment_request_id
        WHERE c.done_at IS NULL AND c.next_attempt_at <= now() AND c.kind = 'confirm'
          AND coalesce(r.payment_system_client_id, $1) = (
            SELECT coalesce(r2.payment_system_client_id, $1) FROM payments.outbound_call c2
              JOIN payments.payment_request r2 ON r2.id = c2.payment_request_id
             WHERE c2.done_at IS NULL AND c2.next_attempt_at <= now() AND c2.kind = 'confirm'
             ORDER BY c2.next_attempt_at, c2.id LIMIT 1)
        ORDER BY c.next_attempt_at, c.id LIMIT $2 FOR UPDATE OF c SKIP LOCKED`,
      [this.clients.municipalityClientId, confirmationBatch],
    )) as DueCall[];
    if (calls.length === 0) return false;
    const requests = await manager.find(PaymentRequestEntity, {
      where: calls.map((call) => ({ id: call.payment_request_id })),
      order: { id: 'ASC' },
      lock: { mode: 'pessimistic_write' },
    });
    const credentials = await this.credentialsOrHold(manager, requests[0]!, calls, standings);
    if (!credentials) return true;
    try {
      await manager.transaction((inner) => this.confirmStatuses.confirm(inner, requests, credentials, 'confirmation'));
    } catch (error) {
      await this.failed(manager, calls, credentials.clientId, error, standings);
      return true;
    }
    await this.authorized(manager, credentials.clientId, standings);
    await manager.query(
      `UPDATE payments.outbound_call SET done_at = now(), attempts = attempts + 1, last_error = NULL WHERE id = ANY($1)`,
      [calls.map((call) => call.id)],
    );
    return true;
  }

  /** The credentials of the request's client, or undefined when its calls must wait (held, or no secret). */
  private async credentialsOrHold(
    manager: EntityManager,
    request: PaymentRequestEntity,
    calls: DueCall[],
    standings: Map<string, ClientStanding>,
  ): Promise<PaymentSystemCredentials | undefined> {
    const clientId = request.paymentSystemClientId ?? this.clients.municipalityClientId;
    let standing = standings.get(clientId);
    if (!standing) {
      standing = await this.clients.standing(manager, clientId);
      standings.set(clientId, standing);
    }
    const heldUntil = standing.heldUntil;
    const credentials = heldUntil ? undefined : await this.clients.credentials(manager, clientId);
    if (credentials) return credentials;
    const detail = heldUntil
      ? `the payment system refused client ${clientId} (HTTP 401); its calls wait until ${heldUntil.toISOString()}`
      : `no secret of client ${clientId} is known to payments`;
    const until = heldUntil ?? (await this.clients.markUnauthorized(manager, clientId, detail));
    standings.set(clientId, { heldUntil: until, flagged: true });
    await this.postpone(manager, calls, until);
    await this.setProblem(manager, calls, { code: 'payment_system_unauthorized', detail });
    return undefined;
  }

  /**
   * A call went through: a hold recorded for the client ends. Read once per round (a hold another
   * instance records after that read is left to run out), so a call without a hold costs nothing.
   */
  private async authorized(
    manager: EntityManager,
    clientId: string,
    standings: Map<string, ClientStanding>,
  ): Promise<void> {
    if (!standings.get(clientId)?.flagged) return;
    await this.clients.markAuthorized(manager, clientId);
    standings.set(clientId, { flagged: false });
  }

  private async failed(
    manager: EntityManager,
    calls: DueCall[],
    clientId: string,
    error: unknown,
    standings: Map<string, ClientStanding>,
  ): Promise<void> {
    const message = (error instanceof Error ? error.message : String(error)).slice(0, 1000);
    if (error instanceof PaymentSystemUnauthorizedError) {
      const until = await this.clients.markUnauthorized(manager, clientId, message);
      standings.set(clientId, { heldUntil: until, flagged: true });
      await this.postpone(manager, calls, until, message);
      await this.setProblem(manager, calls, { code: 'payment_system_unauthorized', detail: message });
      return;
    }
    const circuitOpen = error instanceof PaymentSystemUnavailableError && error.circuitOpen;
    if (circuitOpen) {
      await this.postpone(manager, calls, new Date(Date.now() + this.paymentSystem.breaker.waitMs()), message);
      return;
    }
    for (const call of calls) {
      const attempts = call.attempts + 1;
      if (attempts >= this.config.PAYMENTS_SEND_MAX_ATTEMPTS) {
        await this.giveUp(manager, call, attempts, message);
        continue;
      }
      const base = this.config.PAYMENTS_SEND_BACKOFF_BASE_MS;
      const delayMs = Math.min(
        this.config.PAYMENTS_SEND_BACKOFF_MAX_MS,
        base / 2 + backoffDelay(attempts, base, this.config.PAYMENTS_SEND_BACKOFF_MAX_MS),
      );
      await manager.query(
        `UPDATE payments.outbound_call
            SET attempts = $2, next_attempt_at = now() + make_interval(secs => $3), last_error = $4
          WHERE id = $1`,
        [call.id, attempts, delayMs / 1000, message],
      );
      const log = error instanceof PaymentSystemUnavailableError ? 'warn' : 'error';
      this.logger[log](
        { paymentRequestId: call.payment_request_id, kind: call.kind, attempts, delayMs, reason: message },
        'payment system call failed; will retry',
      );
    }
  }

  /** Out of attempts: the call ends, visibly; a creation that never got through is `send_failed`. */
  private async giveUp(manager: EntityManager, call: DueCall, attempts: number, message: string): Promise<void> {
    await manager.query(
      `UPDATE payments.outbound_call SET attempts = $2, done_at = now(), gave_up = true, last_error = $3 WHERE id = $1`,
      [call.id, attempts, message],
    );
    await this.setProblem(manager, [call], { code: 'payment_system_unavailable', detail: message });
    if (call.kind === 'create') {
      await manager.query(
        `UPDATE payments.payment_request SET status = 'send_failed', updated_at = now() WHERE id = $1 AND status = 'sending'`,
        [call.payment_request_id],
      );
    }
    this.logger.error(
      { paymentRequestId: call.payment_request_id, kind: call.kind, attempts, reason: message },
      'payment system call given up after its attempts; an operator can retry it',
    );
  }

  private async postpone(manager: EntityManager, calls: DueCall[], until: Date, message?: string): Promise<void> {
    await manager.query(
      `UPDATE payments.outbound_call SET next_attempt_at = greatest($2::timestamptz, now()), last_error = coalesce($3, last_error)
        WHERE id = ANY($1)`,
      [calls.map((call) => call.id), until, message ?? null],
    );
  }

  private async setProblem(
    manager: EntityManager,
    calls: DueCall[],
    problem: Omit<PaymentRequestProblem, 'at'>,
  ): Promise<void> {
    await manager.query(
      `UPDATE payments.payment_request SET problem = $2::jsonb, updated_at = now() WHERE id = ANY($1)`,
      [calls.map((call) => call.payment_request_id), JSON.stringify({ ...problem, at: new Date().toISOString() })],
    );
  }
}
