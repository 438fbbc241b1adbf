import { Controller, Get, Query } from '@nestjs/common';
import type { DeliveryInternal } from '@umg/contracts';
import { ListReceivedMessagesService } from './list-received-messages.service';

/** Internal API: the messages read from the districts' e-delivery inboxes (operators look for parked ones). */
@Controller('internal/v1/received-messages')
export class ListReceivedMessagesHttpController {
  constructor(private readonly listReceivedMessages: ListReceivedMessagesService) {}

  @Get()
  list(
    @Query('districtCode') districtCode?: string,
    @Query('state') state?: string,
  ): Promise<DeliveryInternal.components['schemas']['ReceivedMessageList']> {
    return this.listReceivedMessages.list({ districtCode, state });
  }
}
