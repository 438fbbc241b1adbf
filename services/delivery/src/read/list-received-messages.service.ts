import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { DeliveryInternal } from '@umg/contracts';
import { DeliveryError, DeliveryErrorCode } from '../delivery/delivery-error';
import { ReceivedMessageEntity, type ReceivedMessageState } from '../intake/received-message.entity';

type ReceivedMessageList = DeliveryInternal.components['schemas']['ReceivedMessageList'];

const states: readonly ReceivedMessageState[] = ['opening', 'submitted', 'parked'];
const districtCodeForm = /^[a-z][a-z-]{0,63}$/;

/** For operators: what the intake did with the districts' e-delivery messages; parked ones wait for a person. */
@Injectable()
export class ListReceivedMessagesService {
  constructor(private readonly dataSource: DataSource) {}

  async list(filter: { districtCode?: string; state?: string }): Promise<ReceivedMessageList> {
    if (filter.state !== undefined && !states.includes(filter.state as ReceivedMessageState)) {
      throw new DeliveryError(DeliveryErrorCode.InvalidRequest, 'state is not one of opening, submitted, parked', [
        { field: 'state', code: 'invalid_value', message: 'must be one of opening, submitted, parked' },
      ]);
    }
    if (filter.districtCode !== undefined && !districtCodeForm.test(filter.districtCode)) {
      throw new DeliveryError(DeliveryErrorCode.InvalidRequest, 'districtCode is not a district code', [
        { field: 'districtCode', code: 'invalid_format', message: 'must be a district code' },
      ]);
    }
    const rows = await this.dataSource.manager.find(ReceivedMessageEntity, {
      where: {
        ...(filter.districtCode ? { districtCode: filter.districtCode } : {}),
        ...(filter.state ? { state: filter.state as ReceivedMessageState } : {}),
      },
      order: { firstSeenAt: 'DESC', messageId: 'DESC' },
      take: 200,
    });
    return {
      items: rows.map((row) => ({
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
