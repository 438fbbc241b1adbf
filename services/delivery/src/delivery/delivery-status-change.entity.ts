import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { DeliveryStatus } from '@umg/contracts';
import type { ReasonRecord } from './delivery.entity';

/** One entry of a delivery's history. */
@Entity({ name: 'delivery_status_change' })
export class DeliveryStatusChangeEntity {
  @PrimaryColumn({ name: 'delivery_id', type: 'uuid' })
  deliveryId!: string;

  @PrimaryColumn({ type: 'integer' })
  sequence!: number;

  @Column({ type: 'text' })
  status!: DeliveryStatus;

  @Column({ type: 'jsonb', nullable: true })
  reason!: ReasonRecord | null;

  @Column({ name: 'changed_at', type: 'timestamptz' })
  changedAt!: Date;
}
