import { Column, Entity, PrimaryColumn } from 'typeorm';

export type MalwareScanStatus = 'NONE' | 'NOTMALICIOUS' | 'NOTSURE' | 'ISMALICIOUS';
export type SignatureStatus = 'VALID' | 'INVALIDINTEGRITY' | 'CERTIFICATEEXPIREDATTIMEOFSIGNING' | 'INVALIDCERTIFICATE';

/** A document a delivery carries: what was received from the applications service and what e-delivery said of it. */
@Entity({ name: 'delivery_document' })
export class DeliveryDocumentEntity {
  @PrimaryColumn({ name: 'delivery_id', type: 'uuid' })
  deliveryId!: string;

  @PrimaryColumn({ name: 'document_id', type: 'uuid' })
  documentId!: string;

  @Column({ type: 'integer' })
  position!: number;

  @Column({ name: 'file_name', type: 'text', nullable: true })
  fileName!: string | null;

  @Column({ name: 'media_type', type: 'text', nullable: true })
  mediaType!: string | null;

  @Column({ type: 'integer', nullable: true })
  size!: number | null;

  @Column({ type: 'text', nullable: true })
  sha256!: string | null;

  @Column({ name: 'blob_id', type: 'text', nullable: true })
  blobId!: string | null;

  @Column({ name: 'malware_scan_status', type: 'text', nullable: true })
  malwareScanStatus!: MalwareScanStatus | null;

  @Column({ name: 'signature_status', type: 'text', nullable: true })
  signatureStatus!: SignatureStatus | null;

  @Column({ name: 'blocked_reason', type: 'text', nullable: true })
  blockedReason!: string | null;
}
