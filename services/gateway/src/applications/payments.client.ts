import { Inject, Injectable } from '@nestjs/common';
import createClient, { type Client } from 'openapi-fetch';
import type { DeskPaymentRequest, PaymentsInternalComponents, PaymentsInternalPaths } from '@umg/contracts';
import { currentCorrelation } from '@umg/logging';
import { serviceFetch, ServiceTokenIssuer } from '@umg/platform';
import { tracedFetch } from '@umg/tracing';
import type { OperatorPrincipal } from '../operators/operator-principal';
import type { GatewayConfig } from '../config';
import { GATEWAY_CONFIG } from '../gateway-config.token';
import type { StoredAnswer } from '../idempotency/stored-answer';
import { unreachable, upstreamProblem } from './upstream-problem';

export type PaymentRequestList = { items: PaymentsInternalComponents['schemas']['PaymentRequest'][] };
export type PaymentStatusReportList = { items: PaymentsInternalComponents['schemas']['PaymentStatusReport'][] };

/** Typed client of the payments service's internal API. */
@Injectable()
export class PaymentsClient {
  private readonly client: Client<PaymentsInternalPaths>;

  constructor(
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    private readonly tokens: ServiceTokenIssuer,
  ) {
    this.client = createClient<PaymentsInternalPaths>({
      baseUrl: config.PAYMENTS_URL,
      fetch: serviceFetch(tokens, 'payments', tracedFetch('payments')),
    });
  }

  /** Only call after the application was found in the caller's district: this read is not scoped. */
  paymentRequestsOf(applicationId: string): Promise<PaymentRequestList> {
    return this.data(() =>
      this.client.GET('/internal/v1/applications/{applicationId}/payment-requests', {
        params: { path: { applicationId } },
        ...this.options(),
      }),
    );
  }

  /** What the payment system reported about the application's requests; for an operator's view (not scoped). */
  paymentStatusReportsOf(applicationId: string): Promise<PaymentStatusReportList> {
    return this.data(() =>
      this.client.GET('/internal/v1/applications/{applicationId}/payment-status-reports', {
        params: { path: { applicationId } },
        ...this.options(),
      }),
    );
  }

  /** Scoped by the district: the payments service finds the request only in that district. */
  async recordDeskPayment(
    districtCode: string,
    applicationId: string,
    body: DeskPaymentRequest,
  ): Promise<StoredAnswer> {
    const answer = await this.send(() =>
      this.client.POST('/internal/v1/districts/{districtCode}/applications/{applicationId}/desk-payment', {
        params: { path: { districtCode, applicationId } },
        body,
        ...this.options(),
      }),
    );
    if (answer.response.status >= 500) throw upstreamProblem(answer.response.status, answer.error);
    return { status: answer.response.status, headers: {}, body: answer.data ?? answer.error };
  }

  /** An operator's retry of calls the payment system never got; its problem passed on as is. */
  retry(
    operator: OperatorPrincipal,
    paymentRequestId: string,
  ): Promise<PaymentsInternalComponents['schemas']['PaymentRequest']> {
    return this.data(async () => {
      const options = this.options();
      const authorization = await this.tokens.authorization('payments', {
        operator: { id: operator.username, role: operator.role },
      });
      return this.client.POST('/internal/v1/payment-requests/{paymentRequestId}/retry', {
        params: { path: { paymentRequestId } },
        ...options,
        headers: { ...options.headers, authorization },
      });
    });
  }

  /** A district's daily reconciliation report (JSON). */
  reconciliationReport(query: {
    district: string;
    date: string;
  }): Promise<PaymentsInternalComponents['schemas']['ReconciliationReport']> {
    // Asked for JSON (the payments service answers CSV only when asked for it).
    return this.data(
      () =>
        this.client.GET('/internal/v1/reports/reconciliation', {
          params: { query },
          parseAs: 'json',
          ...this.options(),
        }) as Promise<{
          data?: PaymentsInternalComponents['schemas']['ReconciliationReport'];
          error?: unknown;
          response: Response;
        }>,
    );
  }

  /** Reconciliation now, for an operator (named in the token, logged by payments). */
  runReconciliation(operator: OperatorPrincipal): Promise<PaymentsInternalComponents['schemas']['ReconciliationRun']> {
    return this.data(async () => {
      const options = this.options();
      const authorization = await this.tokens.authorization('payments', {
        operator: { id: operator.username, role: operator.role },
      });
      return this.client.POST('/internal/v1/reconciliation/runs', {
        ...options,
        headers: { ...options.headers, authorization },
      });
    });
  }

  refusedClients(): Promise<{ items: PaymentsInternalComponents['schemas']['HeldPaymentSystemClient'][] }> {
    return this.data(() => this.client.GET('/internal/v1/payment-system/clients', this.options()));
  }

  private async send<A>(request: () => Promise<A>): Promise<A> {
    try {
      return await request();
    } catch (error) {
      throw unreachable(error);
    }
  }

  /** The answer's data, or the payments service's problem passed on. */
  private async data<T>(request: () => Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
    const answer = await this.send(request);
    if (answer.error !== undefined || !answer.data) throw upstreamProblem(answer.response.status, answer.error);
    return answer.data;
  }

  private options() {
    const correlation = currentCorrelation();
    return {
      headers: correlation ? { 'x-correlation-id': correlation.correlationId } : {},
      signal: AbortSignal.timeout(this.config.UPSTREAM_TIMEOUT_MS),
    };
  }
}
