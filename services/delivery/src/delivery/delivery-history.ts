import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { DeliveryStatus, DeliveryStatusChanged } from '@umg/contracts';
import { Outbox, Topics } from '@umg/messaging';
import { DeliveryStatusChangeEntity } from './delivery-status-change.entity';
import { DeliveryEntity, type ReasonRecord } from './delivery.entity';
import { DeliveryMessageTypes } from './delivery-message-types';

/**
 * Changes a delivery's status the one way it is done: the delivery row, its history entry and the
 * `DeliveryStatusChanged` message commit together (outbox).
 */
@Injectable()
export class DeliveryHistory {
  constructor(private readonly outbox: Outbox) {}

  /** Stores a new delivery with its first status. */
  async open(manager: EntityManager, delivery: DeliveryEntity): Promise<void> {
    delivery.statusSequence = 1;
    await manager.insert(DeliveryEntity, delivery);
    await this.record(manager, delivery, null);
  }

  /**
   * Saves the delivery (with whatever else changed on it) and, if its status changed, records and
   * announces it. With `heldBy`, only while the row is still claimed under that token: false (and
   * nothing written) when it is not.
   */
  async save(
    manager: EntityManager,
    delivery: DeliveryEntity,
    to: DeliveryStatus,
    reason: ReasonRecord | null = null,
    heldBy?: string,
  ): Promise<boolean> {
    const from = delivery.status;
    const changed = { ...delivery, reason, updatedAt: new Date() };
    if (from !== to) Object.assign(changed, { status: to, statusSequence: delivery.statusSequence + 1 });
    if (!(await this.write(manager, changed, heldBy))) return false;
    Object.assign(delivery, changed);
    if (from !== to) await this.record(manager, delivery, from);
    return true;
  }

  /** The delivery's row as it is now, in one UPDATE (an entity save would read the row first). */
  private async write(manager: EntityManager, delivery: DeliveryEntity, heldBy?: string): Promise<boolean> {
    const { id, ...fields } = delivery;
    const { affected } = await manager.update(
      DeliveryEntity,
      heldBy === undefined ? { id } : { id, claimToken: heldBy },
      fields,
    );
    return affected !== 0;
  }

  /** Records and announces a status change already written to the delivery's row (`from` → its status). */
  async record(manager: EntityManager, delivery: DeliveryEntity, from: DeliveryStatus | null): Promise<void> {
    await manager.insert(DeliveryStatusChangeEntity, {
      deliveryId: delivery.id,
      sequence: delivery.statusSequence,
      status: delivery.status,
      reason: delivery.reason,
      changedAt: delivery.updatedAt,
    });
    const payload: DeliveryStatusChanged = {
      applicationId: delivery.applicationId,
      districtCode: delivery.districtCode,
      deliveryId: delivery.id,
      noticeKind: delivery.noticeKind,
      status: delivery.status,
      previousStatus: from,
      eDeliveryMessageId: delivery.eDeliveryMessageId,
      reason: delivery.reason,
      nroAt: delivery.nroAt?.toISOString() ?? null,
      nrdAt: delivery.nrdAt?.toISOString() ?? null,
      changedAt: delivery.updatedAt.toISOString(),
      sequence: delivery.statusSequence,
    };
    await this.outbox.enqueue(manager, {
      topic: Topics.deliveryEvents,
      key: delivery.applicationId,
      type: DeliveryMessageTypes.deliveryStatusChanged,
      payload,
      // Consumers skip the statuses they ignore from this header, before any database work.
      extensions: { umgstatus: delivery.status },
    });
  }
}
