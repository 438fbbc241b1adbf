import { CallableBy } from '@umg/platform';
import { Controller, Get, Param, ParseIntPipe, Res, StreamableFile } from '@nestjs/common';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import type { DeliveryInternal } from '@umg/contracts';
import { ContractQuery } from '@umg/platform';
import { ListReceivedMessagesService, receivedDocument } from './list-received-messages.service';

/** Internal API: the messages read from the districts' e-delivery inboxes (operators look for parked ones). */
@Controller('internal/v1/received-messages')
@CallableBy('gateway')
export class ListReceivedMessagesHttpController {
  constructor(
    private readonly listReceivedMessages: ListReceivedMessagesService,
    private readonly dataSource: DataSource,
  ) {}

  @Get()
  list(
    @ContractQuery('delivery-internal.listReceivedMessages')
    filter: Parameters<ListReceivedMessagesService['list']>[0],
  ): Promise<DeliveryInternal.components['schemas']['ReceivedMessageList']> {
    return this.listReceivedMessages.list(filter);
  }

  /** The original of a parked message's document, for the district (through the gateway) or an operator. */
  @Get(':districtCode/:messageId/documents/:documentId')
  async document(
    @Param('districtCode') districtCode: string,
    @Param('messageId', ParseIntPipe) messageId: number,
    @Param('documentId', ParseIntPipe) documentId: number,
    @Res({ passthrough: true }) response: Response,
  ): Promise<StreamableFile> {
    const document = await receivedDocument(this.dataSource, districtCode, messageId, documentId);
    response.setHeader('Content-Type', 'application/octet-stream');
    response.setHeader('Content-Disposition', `attachment; filename*=UTF-8''${encodeURIComponent(document.name)}`);
    return new StreamableFile(document.content);
  }
}
