import { Inject, Injectable } from '@nestjs/common';
import createClient, { type Client } from 'openapi-fetch';
import type { DistrictsInternal, DistrictsInternalPaths } from '@umg/contracts';
import { currentCorrelation } from '@umg/logging';
import { serviceFetch, ServiceTokenIssuer } from '@umg/platform';
import { tracedFetch } from '@umg/tracing';
import { upstreamData } from '../applications/upstream-problem';
import type { GatewayConfig } from '../config';
import { GATEWAY_CONFIG } from '../gateway-config.token';
import type { OperatorPrincipal } from '../operators/operator-principal';

type Schemas = DistrictsInternal.components['schemas'];
export type DistrictSecretMetadata = Schemas['DistrictSecretMetadata'];
export type DistrictSecretChange = Schemas['DistrictSecretChange'];
export type EDeliveryIdentityChange = Schemas['EDeliveryIdentityChange'];
export type DistrictService = Schemas['DistrictService'];
export type ServicePhaseChangeRequest = Schemas['ServicePhaseChangeRequest'];
export type ConformanceRun = Schemas['ConformanceRun'];
export type District = Schemas['District'];

/**
 * Typed client of the districts service's onboarding routes (secret, e-delivery identity,
 * conformance runs, service phases). Reads carry the gateway's service token; changes carry the
 * signed-in operator as the token's `operator` claim, which the districts service audits.
 */
@Injectable()
export class OnboardingClient {
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

  secret(districtCode: string): Promise<DistrictSecretMetadata> {
    return upstreamData(() =>
      this.client.GET('/internal/v1/districts/{districtCode}/secret', {
        params: { path: { districtCode } },
        ...this.options(),
      }),
    );
  }

  setSecret(
    districtCode: string,
    operator: OperatorPrincipal,
    change: DistrictSecretChange,
  ): Promise<DistrictSecretMetadata> {
    return upstreamData(async () =>
      this.client.PUT('/internal/v1/districts/{districtCode}/secret', {
        params: { path: { districtCode } },
        body: change,
        ...(await this.asOperator(operator)),
      }),
    );
  }

  changeEDeliveryIdentity(
    districtCode: string,
    operator: OperatorPrincipal,
    change: EDeliveryIdentityChange,
  ): Promise<District> {
    return upstreamData(async () =>
      this.client.PUT('/internal/v1/districts/{districtCode}/e-delivery', {
        params: { path: { districtCode } },
        body: change,
        ...(await this.asOperator(operator)),
      }),
    );
  }

  conformanceRuns(districtCode: string): Promise<ConformanceRun[]> {
    return upstreamData(() =>
      this.client.GET('/internal/v1/districts/{districtCode}/conformance-runs', {
        params: { path: { districtCode } },
        ...this.options(),
      }),
    );
  }

  conformanceRun(districtCode: string, runId: number): Promise<ConformanceRun> {
    return upstreamData(() =>
      this.client.GET('/internal/v1/districts/{districtCode}/conformance-runs/{runId}', {
        params: { path: { districtCode, runId } },
        ...this.options(),
      }),
    );
  }

  servicePhases(districtCode: string): Promise<DistrictService[]> {
    return upstreamData(() =>
      this.client.GET('/internal/v1/districts/{districtCode}/service-phases', {
        params: { path: { districtCode } },
        ...this.options(),
      }),
    );
  }

  servicePhase(districtCode: string, serviceNumber: number): Promise<DistrictService> {
    return upstreamData(() =>
      this.client.GET('/internal/v1/districts/{districtCode}/service-phases/{serviceNumber}', {
        params: { path: { districtCode, serviceNumber } },
        ...this.options(),
      }),
    );
  }

  changeServicePhase(
    districtCode: string,
    serviceNumber: number,
    operator: OperatorPrincipal,
    change: ServicePhaseChangeRequest,
  ): Promise<DistrictService> {
    return upstreamData(async () =>
      this.client.PUT('/internal/v1/districts/{districtCode}/service-phases/{serviceNumber}', {
        params: { path: { districtCode, serviceNumber } },
        body: change,
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
      headers: { ...(correlation ? { 'x-correlation-id': correlation.correlationId } : {}) },
      signal: AbortSignal.timeout(this.config.UPSTREAM_TIMEOUT_MS),
    };
  }
}
