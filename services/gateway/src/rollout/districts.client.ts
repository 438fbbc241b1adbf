import { Inject, Injectable } from '@nestjs/common';
import createClient, { type Client } from 'openapi-fetch';
import type { DistrictsInternal, DistrictsInternalPaths, OperatorApi } from '@umg/contracts';
import { currentCorrelation } from '@umg/logging';
import { serviceFetch, ServiceTokenIssuer } from '@umg/platform';
import { tracedFetch } from '@umg/tracing';
import type { OperatorPrincipal } from '../operators/operator-principal';
import { unreachable, upstreamProblem } from '../applications/upstream-problem';
import type { GatewayConfig } from '../config';
import { GATEWAY_CONFIG } from '../gateway-config.token';

type Schemas = DistrictsInternal.components['schemas'];
export type District = Schemas['District'];
export type AdapterHealth = Schemas['AdapterHealth'];
export type AuditEntry = Schemas['AuditEntry'];
export type ConformanceRun = Schemas['ConformanceRun'];
export type Push = Schemas['Push'];
export type PhaseChange = Schemas['PhaseChange'];
export type ServiceEnablement = Schemas['ServiceEnablement'];
export type ProfileChange = Schemas['ProfileChange'];
export type EnablementChange = Schemas['EnablementChange'];

interface Answer<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/**
 * Typed client of the districts service's operator API (types generated from contracts/). Every
 * call carries the gateway's service token; a change carries the signed-in operator as its
 * signed `operator` claim, which the districts service keeps in its audit trail.
 */
@Injectable()
export class DistrictsClient {
  private readonly client: Client<DistrictsInternalPaths>;

  constructor(
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    private readonly tokens: ServiceTokenIssuer,
  ) {
    this.client = createClient<DistrictsInternalPaths>({
      baseUrl: config.DISTRICTS_URL,
      fetch: serviceFetch(tokens, 'districts', tracedFetch('districts')),
    });
  }

  listDistricts(): Promise<District[]> {
    return this.call(() => this.client.GET('/internal/v1/districts', this.options()));
  }

  getDistrict(districtCode: string): Promise<District> {
    return this.call(() =>
      this.client.GET('/internal/v1/districts/{districtCode}', {
        params: { path: { districtCode } },
        ...this.options(),
      }),
    );
  }

  adapterHealth(districtCode: string): Promise<AdapterHealth> {
    return this.call(() =>
      this.client.GET('/internal/v1/districts/{districtCode}/adapter-health', {
        params: { path: { districtCode } },
        ...this.options(),
      }),
    );
  }

  audit(districtCode: string): Promise<AuditEntry[]> {
    return this.call(() =>
      this.client.GET('/internal/v1/districts/{districtCode}/audit', {
        params: { path: { districtCode } },
        ...this.options(),
      }),
    );
  }

  services(districtCode: string): Promise<ServiceEnablement[]> {
    return this.call(() =>
      this.client.GET('/internal/v1/districts/{districtCode}/services', {
        params: { path: { districtCode } },
        ...this.options(),
      }),
    );
  }

  conformanceRuns(districtCode: string): Promise<ConformanceRun[]> {
    return this.call(() =>
      this.client.GET('/internal/v1/districts/{districtCode}/conformance-runs', {
        params: { path: { districtCode } },
        ...this.options(),
      }),
    );
  }

  parkedPushes(districtCode: string): Promise<Push[]> {
    return this.call(() =>
      this.client.GET('/internal/v1/districts/{districtCode}/pushes', {
        params: { path: { districtCode }, query: { status: 'parked' } },
        ...this.options(),
      }),
    );
  }

  changePhase(districtCode: string, operator: OperatorPrincipal, change: PhaseChange): Promise<District> {
    return this.call(async () =>
      this.client.POST('/internal/v1/districts/{districtCode}/phase', {
        params: { path: { districtCode } },
        body: change,
        ...(await this.asOperator(operator)),
      }),
    );
  }

  /** A payee change is a profile change of the registry (bank, payment-system client); the registry audits it. */
  changePayee(
    districtCode: string,
    operator: OperatorPrincipal,
    change: OperatorApi.components['schemas']['PayeeChange'],
  ): Promise<District> {
    return this.call(async () =>
      this.client.PATCH('/internal/v1/districts/{districtCode}/profile', {
        params: { path: { districtCode } },
        body: change,
        ...(await this.asOperator(operator)),
      }),
    );
  }

  /** Any profile change (endpoint, secret's name, mapping, bank): the registry checks and audits it. */
  changeProfile(districtCode: string, operator: OperatorPrincipal, change: ProfileChange): Promise<District> {
    return this.call(async () =>
      this.client.PATCH('/internal/v1/districts/{districtCode}/profile', {
        params: { path: { districtCode } },
        body: change,
        ...(await this.asOperator(operator)),
      }),
    );
  }

  setServiceEnablement(
    districtCode: string,
    serviceNumber: number,
    operator: OperatorPrincipal,
    change: EnablementChange,
  ): Promise<ServiceEnablement> {
    return this.call(async () =>
      this.client.PUT('/internal/v1/districts/{districtCode}/services/{serviceNumber}', {
        params: { path: { districtCode, serviceNumber } },
        body: change,
        ...(await this.asOperator(operator)),
      }),
    );
  }

  startConformanceRun(districtCode: string, operator: OperatorPrincipal): Promise<ConformanceRun> {
    return this.call(async () =>
      this.client.POST('/internal/v1/districts/{districtCode}/conformance-runs', {
        params: { path: { districtCode } },
        ...(await this.asOperator(operator)),
      }),
    );
  }

  replayPush(pushId: number, operator: OperatorPrincipal, reason: string): Promise<Push> {
    return this.call(async () =>
      this.client.POST('/internal/v1/pushes/{pushId}/replay', {
        params: { path: { pushId } },
        body: { reason },
        ...(await this.asOperator(operator)),
      }),
    );
  }

  /** The call's options with a token that acts for the operator (their session's username and role). */
  private async asOperator(operator: OperatorPrincipal) {
    const options = this.options();
    const authorization = await this.tokens.authorization('districts', {
      operator: { id: operator.username, role: operator.role },
    });
    return { ...options, headers: { ...options.headers, authorization } };
  }

  private options() {
    const correlation = currentCorrelation();
    return {
      headers: {
        ...(correlation ? { 'x-correlation-id': correlation.correlationId } : {}),
      },
      signal: AbortSignal.timeout(this.config.UPSTREAM_TIMEOUT_MS),
    };
  }

  /** The data, or the districts service's problem passed on (its 4xx and stable code). */
  private async call<T>(request: () => Promise<Answer<T>>): Promise<T> {
    let answer: Answer<T>;
    try {
      answer = await request();
    } catch (error) {
      throw unreachable(error);
    }
    if (answer.error !== undefined || answer.data === undefined) {
      throw upstreamProblem(answer.response.status, answer.error);
    }
    return answer.data;
  }
}
