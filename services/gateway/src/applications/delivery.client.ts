import { Inject, Injectable } from '@nestjs/common';
import createClient, { type Client } from 'openapi-fetch';
import type { DeliveryInternal, DeliveryInternalPaths } from '@umg/contracts';
import { currentCorrelation } from '@umg/logging';
import { tracedFetch } from '@umg/tracing';
import type { GatewayConfig } from '../config';
import { GATEWAY_CONFIG } from '../gateway-config.token';
import { unreachable, upstreamProblem } from './upstream-problem';

export type DeliveryList = DeliveryInternal.components['schemas']['DeliveryList'];

/** Typed client of the delivery service's internal API. */
@Injectable()
export class DeliveryClient {
  private readonly client: Client<DeliveryInternalPaths>;

  constructor(@Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig) {
    this.client = createClient<DeliveryInternalPaths>({ baseUrl: config.DELIVERY_URL, fetch: tracedFetch('delivery') });
  }

  /** Only call after the application was found in the caller's district: this read is not scoped. */
  async deliveriesOf(applicationId: string): Promise<DeliveryList> {
    const correlation = currentCorrelation();
    let answer;
    try {
      answer = await this.client.GET('/internal/v1/applications/{applicationId}/deliveries', {
        params: { path: { applicationId } },
        headers: correlation ? { 'x-correlation-id': correlation.correlationId } : {},
        signal: AbortSignal.timeout(this.config.UPSTREAM_TIMEOUT_MS),
      });
    } catch (error) {
      throw unreachable(error);
    }
    if (answer.error !== undefined || !answer.data) throw upstreamProblem(answer.response.status, answer.error);
    return answer.data;
  }
}
