import { CallableBy } from '@umg/platform';
import { Controller, Get } from '@nestjs/common';
import type { DeliveryInternal } from '@umg/contracts';
import { ContractPath } from '@umg/platform';
import { ListDeliveriesService } from './list-deliveries.service';

/** Internal API: the deliveries of an application (the gateway shows them to the district). */
@Controller('internal/v1/applications/:applicationId/deliveries')
@CallableBy('gateway')
export class ListDeliveriesHttpController {
  constructor(private readonly listDeliveries: ListDeliveriesService) {}

  @Get()
  list(
    @ContractPath('delivery-internal.listApplicationDeliveries') { applicationId }: { applicationId: string },
  ): Promise<DeliveryInternal.components['schemas']['DeliveryList']> {
    return this.listDeliveries.list(applicationId);
  }
}
