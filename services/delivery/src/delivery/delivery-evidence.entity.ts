import { Column, Entity, PrimaryColumn } from 'typeorm';

export type EvidenceKind = 'nro' | 'nrd';

/** A non-repudiation timestamp file (`.tsr`) e-delivery issued for a delivery: of origin (NRO) or of delivery (NRD). */
@Entity({ name: 'delivery_evidence' })
export class DeliveryEvidenceEntity {
  @PrimaryColumn({ name: 'delivery_id', type: 'uuid' })
  deliveryId!: string;

  @PrimaryColumn({ type: 'text' })
  kind!: EvidenceKind;

  @Column({ name: 'file_name', type: 'text' })
  fileName!: string;

  @Column({ type: 'bytea' })
  content!: Buffer;

  @Column({ type: 'text' })
  sha256!: string;

  @Column({ name: 'recorded_at', type: 'timestamptz' })
  recordedAt!: Date;
}
