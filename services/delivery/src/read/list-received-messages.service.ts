import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { DeliveryInternal } from '@umg/contracts';
import { DeliveryError, DeliveryErrorCode } from '../delivery/delivery-error';
import { ReceivedMessageEntity, type ReceivedMessageState } from '../intake/received-message.entity';

type ReceivedMessageList = DeliveryInternal.components['schemas']['ReceivedMessageList'];

/** For operators: what the intake did with the districts' e-delivery messages; parked ones wait for a person. */
@Injectable()
export class ListReceivedMessagesService {
  constructor(private readonly dataSource: DataSource) {}

  /** The filter as the contract checked it (listReceivedMessages' query). */
  async list(filter: {
    districtCode?: string;
    state?: ReceivedMessageState;
    portalApplicationId?: string;
  }): Promise<ReceivedMessageList> {
    const rows = await this.dataSource.manager.find(ReceivedMessageEntity, {
      where: {
        ...(filter.districtCode ? { districtCode: filter.districtCode } : {}),
        ...(filter.state ? { state: filter.state } : {}),
        ...(filter.portalApplicationId ? { portalApplicationId: filter.portalApplicationId } : {}),
      },
      order: { firstSeenAt: 'DESC', messageId: 'DESC' },
      take: 200,
    });
    return {
      // A message that carried the application itself is not correspondence on it.
      items: rows
        .filter((row) => !filter.portalApplicationId || row.state === 'parked')
        .map((row) => ({
          districtCode: row.districtCode,
          messageId: row.messageId,
          title: row.title,
          state: row.state,
          firstSeenAt: row.firstSeenAt.toISOString(),
          openedAt: row.openedAt?.toISOString() ?? null,
          portalApplicationId: row.portalApplicationId,
          reason: row.reason,
          documents: (row.original?.documents ?? []).map((document) => ({
            id: document.id,
            name: document.name,
            contentType: document.contentType,
            size: Buffer.from(document.contentBase64, 'base64').length,
          })),
        })),
    };
  }
}

/** A document of a parked message, from the original kept whole. */
export async function receivedDocument(
  dataSource: DataSource,
  districtCode: string,
  messageId: number,
  documentId: number,
): Promise<{ name: string; contentType: string | null; content: Buffer }> {
  const row = await dataSource.manager.findOne(ReceivedMessageEntity, { where: { districtCode, messageId } });
  const document = row?.original?.documents.find((candidate) => candidate.id === documentId);
  if (!document) {
    throw new DeliveryError(
      DeliveryErrorCode.ReceivedDocumentNotFound,
      `no document ${documentId} in message ${messageId} of ${districtCode}`,
    );
  }
  return {
    name: document.name,
    contentType: document.contentType,
    content: Buffer.from(document.contentBase64, 'base64'),
  };
}
