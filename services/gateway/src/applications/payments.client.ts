import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import type { DeskPaymentRequest, PaymentsInternalComponents } from '@umg/contracts';
import { ServiceTokenIssuer } from '@umg/platform';
import type { OperatorPrincipal } from '../operators/operator-principal';
import type { GatewayConfig } from '../config';
import { GATEWAY_CONFIG } from '../gateway-config.token';
import type { StoredAnswer } from '../idempotency/stored-answer';
import { encodePath, ServiceConnection } from '../upstream/service-connection';
import { upstreamProblem } from './upstream-problem';

export type PaymentRequestList = { items: PaymentsInternalComponents['schemas']['PaymentRequest'][] };
export type PaymentStatusReportList = { items: PaymentsInternalComponents['schemas']['PaymentStatusReport'][] };

/** Client of the payments service's internal API, over a pooled keep-alive connection (see ServiceConnection). */
@Injectable()
export class PaymentsClient implements OnApplicationShutdown {
  private readonly connection: ServiceConnection;

  constructor(@Inject(GATEWAY_CONFIG) config: GatewayConfig, tokens: ServiceTokenIssuer) {
    this.connection = new ServiceConnection('payments', config.PAYMENTS_URL, tokens, config.UPSTREAM_TIMEOUT_MS);
  }

  /** Only call after the application was found in the caller's district: this read is not scoped. */
  paymentRequestsOf(applicationId: string): Promise<PaymentRequestList> {
    return this.connection.data({
      method: 'GET',
      path: encodePath`/internal/v1/applications/${applicationId}/payment-requests`,
    });
  }

  /** What the payment system reported about the application's requests; for an operator's view (not scoped). */
  paymentStatusReportsOf(applicationId: string): Promise<PaymentStatusReportList> {
    return this.connection.data({
      method: 'GET',
      path: encodePath`/internal/v1/applications/${applicationId}/payment-status-reports`,
    });
  }

  /** Scoped by the district: the payments service finds the request only in that district. */
  async recordDeskPayment(
    districtCode: string,
    applicationId: string,
    body: DeskPaymentRequest,
  ): Promise<StoredAnswer> {
    const answer = await this.connection.call({
      method: 'POST',
      path: encodePath`/internal/v1/districts/${districtCode}/applications/${applicationId}/desk-payment`,
      json: body,
    });
    if (answer.status >= 500) throw upstreamProblem(answer.status, answer.body);
    return { status: answer.status, headers: {}, body: answer.body };
  }

  /** An operator's retry of calls the payment system never got; its problem passed on as is. */
  retry(
    operator: OperatorPrincipal,
    paymentRequestId: string,
  ): Promise<PaymentsInternalComponents['schemas']['PaymentRequest']> {
    return this.connection.data({
      method: 'POST',
      path: encodePath`/internal/v1/payment-requests/${paymentRequestId}/retry`,
      onBehalfOf: { operator: { id: operator.username, role: operator.role } },
    });
  }

  /** A district's daily reconciliation report (JSON). */
  reconciliationReport(query: {
    district: string;
    date: string;
  }): Promise<PaymentsInternalComponents['schemas']['ReconciliationReport']> {
    // Asked for JSON (the payments service answers CSV only when asked for it).
    return this.connection.data({
      method: 'GET',
      path: '/internal/v1/reports/reconciliation',
      query,
      headers: { accept: 'application/json' },
    });
  }

  /** Reconciliation now, for an operator (named in the token, logged by payments). */
  runReconciliation(operator: OperatorPrincipal): Promise<PaymentsInternalComponents['schemas']['ReconciliationRun']> {
    return this.connection.data({
      method: 'POST',
      path: '/internal/v1/reconciliation/runs',
      onBehalfOf: { operator: { id: operator.username, role: operator.role } },
    });
  }

  refusedClients(): Promise<{ items: PaymentsInternalComponents['schemas']['HeldPaymentSystemClient'][] }> {
    return this.connection.data({ method: 'GET', path: '/internal/v1/payment-system/clients' });
  }

  onApplicationShutdown(): Promise<void> {
    return this.connection.close();
  }
}
