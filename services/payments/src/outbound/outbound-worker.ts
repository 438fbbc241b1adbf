import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { Logger } from '@umg/logging';
import { backoffDelay } from '@umg/messaging';
import type { PaymentsConfig } from '../config';
import { InjectLogger } from '../inject-logger';
import { PaymentRequests } from '../payment-request/payment-requests';
import { PAYMENTS_CONFIG } from '../payments-config.token';
import { PaymentSystemClient, PaymentSystemUnavailableError } from '../payment-system/payment-system.client';
import { SendPaymentRequest } from '../request-payment/send-payment-request';
import { SuspendPaymentService } from '../suspend-payment/suspend-payment.service';
import type { OutboundCallOutcome } from './outbound-call-outcome';
import type { OutboundCallKind } from './outbound-calls';

interface DueCall {
  id: string;
  payment_request_id: string;
  kind: OutboundCallKind;
  attempts: number;
}

/**
 * Makes the queued calls to the payment system, one at a time per instance. Each call is claimed
 * with `FOR UPDATE SKIP LOCKED` and made inside its transaction, so instances never make the same
 * call twice at once and an answer is recorded together with the call being done. Failures are
 * retried with exponential backoff and full jitter; while the circuit breaker is open nothing is
 * sent and no attempt is counted.
 */
@Injectable()
export class OutboundWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private stopping = false;
  private running: Promise<void> | undefined;
  private wake: (() => void) | undefined;

  constructor(
    private readonly dataSource: DataSource,
    private readonly requests: PaymentRequests,
    private readonly paymentSystem: PaymentSystemClient,
    private readonly sendRequest: SendPaymentRequest,
    private readonly suspendPayment: SuspendPaymentService,
    @Inject(PAYMENTS_CONFIG) private readonly config: PaymentsConfig,
    @InjectLogger() private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    this.running = this.loop();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    await this.running;
  }

  private async loop(): Promise<void> {
    let failures = 0;
    while (!this.stopping) {
      const breakerWait = this.paymentSystem.breaker.waitMs();
      if (breakerWait > 0) {
        await this.pause(Math.min(breakerWait, this.config.PAYMENTS_BREAKER_RESET_MS));
        continue;
      }
      try {
        const worked = await this.dataSource.transaction((manager) => this.makeOneCall(manager));
        failures = 0;
        if (!worked) await this.pause(this.config.PAYMENTS_SEND_POLL_MS);
      } catch (error) {
        // The database is away (or a bug): wait and try again, the queue keeps the work.
        failures += 1;
        this.logger.error({ err: error, failures }, 'outbound worker failed; retrying');
        await this.pause(backoffDelay(failures, 500, 30_000) + 250);
      }
    }
  }

  private async makeOneCall(manager: EntityManager): Promise<boolean> {
    const [call] = (await manager.query(
      `SELECT id, payment_request_id, kind, attempts FROM payments.outbound_call
        WHERE done_at IS NULL AND next_attempt_at <= now()
        ORDER BY next_attempt_at, id LIMIT 1 FOR UPDATE SKIP LOCKED`,
    )) as DueCall[];
    if (!call) return false;
    const request = await this.requests.lock(manager, call.payment_request_id);
    if (!request) throw new Error(`outbound call ${call.id} refers to no payment request`);
    let outcome: OutboundCallOutcome;
    try {
      outcome =
        call.kind === 'create'
          ? await this.sendRequest.send(manager, request)
          : await this.suspendPayment.perform(manager, request);
    } catch (error) {
      await this.reschedule(manager, call, error);
      return true;
    }
    if (outcome === 'done') {
      await manager.query(
        `UPDATE payments.outbound_call SET done_at = now(), attempts = attempts + 1, last_error = NULL WHERE id = $1`,
        [call.id],
      );
    } else {
      await manager.query(
        `UPDATE payments.outbound_call SET next_attempt_at = now() + make_interval(secs => $2) WHERE id = $1`,
        [call.id, this.config.PAYMENTS_SEND_POLL_MS / 1000],
      );
    }
    return true;
  }

  private async reschedule(manager: EntityManager, call: DueCall, error: unknown): Promise<void> {
    const circuitOpen = error instanceof PaymentSystemUnavailableError && error.circuitOpen;
    const attempts = circuitOpen ? call.attempts : call.attempts + 1;
    const base = this.config.PAYMENTS_SEND_BACKOFF_BASE_MS;
    const delayMs = circuitOpen
      ? this.paymentSystem.breaker.waitMs()
      : Math.min(
          this.config.PAYMENTS_SEND_BACKOFF_MAX_MS,
          base / 2 + backoffDelay(attempts, base, this.config.PAYMENTS_SEND_BACKOFF_MAX_MS),
        );
    const message = error instanceof Error ? error.message : String(error);
    await manager.query(
      `UPDATE payments.outbound_call
          SET attempts = $2, next_attempt_at = now() + make_interval(secs => $3), last_error = $4
        WHERE id = $1`,
      [call.id, attempts, delayMs / 1000, message.slice(0, 1000)],
    );
    const log = error instanceof PaymentSystemUnavailableError ? 'warn' : 'error';
    this.logger[log](
      { paymentRequestId: call.payment_request_id, kind: call.kind, attempts, delayMs, reason: message },
      'payment system call failed; will retry',
    );
  }

  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }
}
