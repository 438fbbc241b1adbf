import { Inject, Injectable } from '@nestjs/common';
import createClient, { type Client } from 'openapi-fetch';
import type { DeliveryInternal, DeliveryInternalPaths } from '@umg/contracts';
import { currentCorrelation } from '@umg/logging';
import { serviceFetch, ServiceTokenIssuer } from '@umg/platform';
import { tracedFetch } from '@umg/tracing';
import type { GatewayConfig } from '../config';
import { GATEWAY_CONFIG } from '../gateway-config.token';
import type { UpstreamFile } from './applications.client';
import { unreachable, upstreamProblem } from './upstream-problem';

export type DeliveryList = DeliveryInternal.components['schemas']['DeliveryList'];
export type ReceivedMessageList = DeliveryInternal.components['schemas']['ReceivedMessageList'];

/** Typed client of the delivery service's internal API. */
@Injectable()
export class DeliveryClient {
  private readonly client: Client<DeliveryInternalPaths>;
  private readonly deliveryFetch: typeof fetch;

  constructor(
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    tokens: ServiceTokenIssuer,
  ) {
    this.deliveryFetch = serviceFetch(tokens, 'delivery', tracedFetch('delivery'));
    this.client = createClient<DeliveryInternalPaths>({ baseUrl: config.DELIVERY_URL, fetch: this.deliveryFetch });
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

  /** The applicant's later messages about the application (its ORN); only after it was found in the caller's district. */
  async correspondenceOf(districtCode: string, portalApplicationId: string): Promise<ReceivedMessageList> {
    let answer;
    try {
      answer = await this.client.GET('/internal/v1/received-messages', {
        params: { query: { districtCode, portalApplicationId, state: 'parked' } },
        ...this.options(),
      });
    } catch (error) {
      throw unreachable(error);
    }
    if (answer.error !== undefined || !answer.data) throw upstreamProblem(answer.response.status, answer.error);
    return answer.data;
  }

  /** A document of one of those messages, as the applicant sent it. */
  async correspondenceDocument(districtCode: string, messageId: number, documentId: number): Promise<UpstreamFile> {
    let response: Response;
    try {
      response = await this.deliveryFetch(
        `${this.config.DELIVERY_URL}/internal/v1/received-messages/${encodeURIComponent(districtCode)}/${messageId}/documents/${documentId}`,
        this.options(),
      );
    } catch (error) {
      throw unreachable(error);
    }
    if (!response.ok) throw upstreamProblem(response.status, await response.json().catch(() => undefined));
    const headers: Record<string, string> = {};
    for (const name of ['content-type', 'content-disposition']) {
      const value = response.headers.get(name);
      if (value) headers[name] = value;
    }
    return { status: 200, headers, content: Buffer.from(await response.arrayBuffer()) };
  }

  private options(): { headers: Record<string, string>; signal: AbortSignal } {
    const correlation = currentCorrelation();
    return {
      headers: correlation ? { 'x-correlation-id': correlation.correlationId } : {},
      signal: AbortSignal.timeout(this.config.UPSTREAM_TIMEOUT_MS),
    };
  }
}
