import { Inject, Injectable } from '@nestjs/common';
import createClient, { type Client } from 'openapi-fetch';
import type { Application, ApplicationsInternalPaths } from '@umg/contracts';
import { currentCorrelation } from '@umg/logging';
import { GATEWAY_CONFIG } from '../gateway-config.token';
import type { GatewayConfig } from '../config';
import type { DistrictPrincipal } from '../auth/district-principal';
import { unreachable, upstreamProblem } from './upstream-problem';

/** Typed client of the applications service's internal API (types generated from contracts/). */
@Injectable()
export class ApplicationsClient {
  private readonly client: Client<ApplicationsInternalPaths>;

  constructor(@Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig) {
    this.client = createClient<ApplicationsInternalPaths>({ baseUrl: config.APPLICATIONS_URL });
  }

  async getApplication(district: DistrictPrincipal, applicationId: string): Promise<Application> {
    const answer = await this.call(() =>
      this.client.GET('/internal/v1/districts/{districtCode}/applications/{applicationId}', {
        params: { path: { districtCode: district.districtCode, applicationId } },
        ...this.options(),
      }),
    );
    if (answer.error !== undefined || !answer.data) throw upstreamProblem(answer.response.status, answer.error);
    return answer.data;
  }

  private options() {
    const correlation = currentCorrelation();
    return {
      headers: {
        ...(correlation ? { 'x-correlation-id': correlation.correlationId } : {}),
        ...(correlation?.traceparent ? { traceparent: correlation.traceparent } : {}),
      },
      signal: AbortSignal.timeout(this.config.UPSTREAM_TIMEOUT_MS),
    };
  }

  private async call<T>(request: () => Promise<T>): Promise<T> {
    try {
      return await request();
    } catch (error) {
      throw unreachable(error);
    }
  }
}
