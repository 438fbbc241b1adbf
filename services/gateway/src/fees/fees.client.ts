import { Inject, Injectable } from '@nestjs/common';
import createClient, { type Client } from 'openapi-fetch';
import type { PaymentsInternalComponents, PaymentsInternalPaths } from '@umg/contracts';
import { currentCorrelation } from '@umg/logging';
import { serviceFetch, ServiceTokenIssuer } from '@umg/platform';
import { tracedFetch } from '@umg/tracing';
import type { OperatorPrincipal } from '../operators/operator-principal';
import { upstreamData } from '../applications/upstream-problem';
import type { GatewayConfig } from '../config';
import { GATEWAY_CONFIG } from '../gateway-config.token';

type Schemas = PaymentsInternalComponents['schemas'];
export type FeeSchedule = Schemas['FeeSchedule'];
export type FeeChange = Schemas['FeeChange'];
export type FeeChangeRequest = Schemas['FeeChangeRequest'];

/**
 * The payments service's fee schedule. A change carries the signed-in operator as the token's
 * signed `operator` claim: payments keeps the name with the change and checks the role again.
 */
@Injectable()
export class FeesClient {
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

  schedule(serviceNumber: number): Promise<FeeSchedule> {
    return upstreamData(async () =>
      this.client.GET('/internal/v1/services/{serviceNumber}/fees', {
        params: { path: { serviceNumber } },
        ...this.options(),
      }),
    );
  }

  scheduleChange(operator: OperatorPrincipal, serviceNumber: number, change: FeeChangeRequest): Promise<FeeChange> {
    return upstreamData(async () =>
      this.client.POST('/internal/v1/services/{serviceNumber}/fees/changes', {
        params: { path: { serviceNumber } },
        body: change,
        ...(await this.asOperator(operator)),
      }),
    );
  }

  cancelChange(operator: OperatorPrincipal, feeChangeId: string, reason: string): Promise<FeeChange> {
    return upstreamData(async () =>
      this.client.POST('/internal/v1/fee-changes/{feeChangeId}/cancel', {
        params: { path: { feeChangeId } },
        body: { reason },
        ...(await this.asOperator(operator)),
      }),
    );
  }

  private async asOperator(operator: OperatorPrincipal) {
    const options = this.options();
    const authorization = await this.tokens.authorization('payments', {
      operator: { id: operator.username, role: operator.role },
    });
    return { ...options, headers: { ...options.headers, authorization } };
  }

  private options() {
    const correlation = currentCorrelation();
    return {
      headers: correlation ? { 'x-correlation-id': correlation.correlationId } : ({} as Record<string, string>),
      signal: AbortSignal.timeout(this.config.UPSTREAM_TIMEOUT_MS),
    };
  }
}
