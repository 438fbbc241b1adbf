import { Inject, Injectable } from '@nestjs/common';
import createClient, { type Client } from 'openapi-fetch';
import type { ApplicationsInternal, ApplicationsInternalPaths } from '@umg/contracts';
import { currentCorrelation } from '@umg/logging';
import { serviceFetch, ServiceTokenIssuer } from '@umg/platform';
import { tracedFetch } from '@umg/tracing';
import { upstreamData } from '../applications/upstream-problem';
import type { GatewayConfig } from '../config';
import { GATEWAY_CONFIG } from '../gateway-config.token';
import type { OperatorPrincipal } from '../operators/operator-principal';

type Schemas = ApplicationsInternal.components['schemas'];
export type DecreeDay = Schemas['DecreeDay'];
export type DecreeDayChange = Schemas['DecreeDayChange'];
export type DecreeDayEntry = Schemas['DecreeDayEntry'];
export type CalendarYear = Schemas['CalendarYear'];
export type CalendarAuditEntry = Schemas['CalendarAuditEntry'];
export type DeadlineAlerts = Schemas['DeadlineAlerts'];

/**
 * Typed client of the applications service's calendar and deadline routes. A change carries the
 * signed-in operator as the token's signed `operator` claim, which the service keeps in its audit.
 */
@Injectable()
export class CalendarClient {
  private readonly client: Client<ApplicationsInternalPaths>;

  constructor(
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    private readonly tokens: ServiceTokenIssuer,
  ) {
    this.client = createClient<ApplicationsInternalPaths>({
      baseUrl: config.APPLICATIONS_URL,
      fetch: serviceFetch(tokens, 'applications', tracedFetch('applications')),
    });
  }

  decreeDays(year?: number): Promise<DecreeDay[]> {
    return upstreamData(() =>
      this.client.GET('/internal/v1/calendar/decree-days', {
        params: { query: year === undefined ? {} : { year } },
        ...this.options(),
      }),
    );
  }

  enterDecreeDay(operator: OperatorPrincipal, entry: DecreeDayEntry): Promise<DecreeDayChange> {
    return upstreamData(async () =>
      this.client.POST('/internal/v1/calendar/decree-days', { body: entry, ...(await this.asOperator(operator)) }),
    );
  }

  deleteDecreeDay(operator: OperatorPrincipal, decreeDayId: number, reason: string): Promise<DecreeDayChange> {
    return upstreamData(async () =>
      this.client.DELETE('/internal/v1/calendar/decree-days/{decreeDayId}', {
        params: { path: { decreeDayId } },
        body: { reason },
        ...(await this.asOperator(operator)),
      }),
    );
  }

  year(year: number): Promise<CalendarYear> {
    return upstreamData(() =>
      this.client.GET('/internal/v1/calendar/days-off', { params: { query: { year } }, ...this.options() }),
    );
  }

  audit(): Promise<CalendarAuditEntry[]> {
    return upstreamData(() => this.client.GET('/internal/v1/calendar/audit', this.options()));
  }

  deadlineAlerts(district?: string): Promise<DeadlineAlerts> {
    return upstreamData(() =>
      this.client.GET('/internal/v1/deadline-alerts', {
        params: { query: district === undefined ? {} : { district } },
        ...this.options(),
      }),
    );
  }

  /** The call's options with a token that acts for the operator (their session's username and role). */
  private async asOperator(operator: OperatorPrincipal) {
    const options = this.options();
    const authorization = await this.tokens.authorization('applications', {
      operator: { id: operator.username, role: operator.role },
    });
    return { ...options, headers: { ...options.headers, authorization } };
  }

  private options() {
    const correlation = currentCorrelation();
    return {
      headers: { ...(correlation ? { 'x-correlation-id': correlation.correlationId } : {}) },
      signal: AbortSignal.timeout(this.config.UPSTREAM_TIMEOUT_MS),
    };
  }
}
