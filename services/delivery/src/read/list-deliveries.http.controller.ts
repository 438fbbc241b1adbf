import { CallableBy } from '@umg/platform';
import { Controller, Get, Param } from '@nestjs/common';
import type { DeliveryInternal } from '@umg/contracts';
import { ListDeliveriesService } from './list-deliveries.service';

/** Internal API: the deliveries of an application (the gateway shows them to the district). */
@Controller('internal/v1/applications/:applicationId/deliveries')
@CallableBy('gateway')
export class ListDeliveriesHttpController {
  constructor(private readonly listDeliveries: ListDeliveriesService) {}

  @Get()
  list(@Param('applicationId') applicationId: string): Promise<DeliveryInternal.components['schemas']['DeliveryList']> {
    return this.listDeliveries.list(applicationId);
  }
}
