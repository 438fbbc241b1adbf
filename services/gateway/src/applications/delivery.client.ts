import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import type { DeliveryInternal } from '@umg/contracts';
import { ServiceTokenIssuer } from '@umg/platform';
import type { GatewayConfig } from '../config';
import { GATEWAY_CONFIG } from '../gateway-config.token';
import { encodePath, ServiceConnection } from '../upstream/service-connection';
import { type UpstreamFile, upstreamFile } from './applications.client';

export type DeliveryList = DeliveryInternal.components['schemas']['DeliveryList'];
export type ReceivedMessageList = DeliveryInternal.components['schemas']['ReceivedMessageList'];

/** Client of the delivery service's internal API, over a pooled keep-alive connection (see ServiceConnection). */
@Injectable()
export class DeliveryClient implements OnApplicationShutdown {
  private readonly connection: ServiceConnection;

  constructor(@Inject(GATEWAY_CONFIG) config: GatewayConfig, tokens: ServiceTokenIssuer) {
    this.connection = new ServiceConnection('delivery', config.DELIVERY_URL, tokens, config.UPSTREAM_TIMEOUT_MS);
  }

  /** Only call after the application was found in the caller's district: this read is not scoped. */
  deliveriesOf(applicationId: string): Promise<DeliveryList> {
    return this.connection.data({
      method: 'GET',
      path: encodePath`/internal/v1/applications/${applicationId}/deliveries`,
    });
  }

  /** The applicant's later messages about the application (its ORN); only after it was found in the caller's district. */
  correspondenceOf(districtCode: string, portalApplicationId: string): Promise<ReceivedMessageList> {
    return this.connection.data({
      method: 'GET',
      path: '/internal/v1/received-messages',
      query: { districtCode, portalApplicationId, state: 'parked' },
    });
  }

  /** A document of one of those messages, as the applicant sent it. */
  async correspondenceDocument(districtCode: string, messageId: number, documentId: number): Promise<UpstreamFile> {
    const answer = await this.connection.call({
      method: 'GET',
      path: encodePath`/internal/v1/received-messages/${districtCode}/${messageId}/documents/${documentId}`,
      file: true,
    });
    return upstreamFile(answer, ['content-type', 'content-disposition']);
  }

  onApplicationShutdown(): Promise<void> {
    return this.connection.close();
  }
}
