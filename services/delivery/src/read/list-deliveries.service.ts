import { Injectable } from '@nestjs/common';
import { DataSource, In } from 'typeorm';
import type { DeliveryInternal } from '@umg/contracts';
import { DeliveryDocumentEntity } from '../delivery/delivery-document.entity';
import { DeliveryEvidenceEntity } from '../delivery/delivery-evidence.entity';
import { DeliveryStatusChangeEntity } from '../delivery/delivery-status-change.entity';
import { DeliveryEntity } from '../delivery/delivery.entity';
import { toDelivery } from './delivery.mapper';

type DeliveryList = DeliveryInternal.components['schemas']['DeliveryList'];

/** What became of every notice and result sent for an application, with documents and history. */
@Injectable()
export class ListDeliveriesService {
  constructor(private readonly dataSource: DataSource) {}

  async list(applicationId: string): Promise<DeliveryList> {
    const manager = this.dataSource.manager;
    const deliveries = await manager.find(DeliveryEntity, {
      where: { applicationId },
      order: { createdAt: 'ASC', eventSequence: 'ASC' },
    });
    const ids = deliveries.map((delivery) => delivery.id);
    const [documents, history, evidence] = ids.length
      ? await Promise.all([
          manager.find(DeliveryDocumentEntity, { where: { deliveryId: In(ids) }, order: { position: 'ASC' } }),
          manager.find(DeliveryStatusChangeEntity, { where: { deliveryId: In(ids) }, order: { sequence: 'ASC' } }),
          manager.find(DeliveryEvidenceEntity, { where: { deliveryId: In(ids) }, order: { kind: 'DESC' } }),
        ])
      : [[], [], []];
    return {
      items: deliveries.map((delivery) =>
        toDelivery(
          delivery,
          documents.filter((document) => document.deliveryId === delivery.id),
          history.filter((entry) => entry.deliveryId === delivery.id),
          evidence.filter((entry) => entry.deliveryId === delivery.id),
        ),
      ),
    };
  }
}
