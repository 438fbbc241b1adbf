import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { ApplicationSubmitted } from '@umg/contracts';

export type AttachmentSignatures = NonNullable<ApplicationSubmitted['attachments'][number]['signatures']>;

/** A file that came with the application from the portal, kept with its checksum. */
@Entity({ name: 'attachment' })
export class AttachmentEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column({ name: 'application_id', type: 'uuid' })
  applicationId!: string;

  @Column({ name: 'portal_attachment_id', type: 'text' })
  portalAttachmentId!: string;

  @Column({ name: 'file_name', type: 'text' })
  fileName!: string;

  @Column({ name: 'media_type', type: 'text' })
  mediaType!: string;

  @Column({ type: 'integer' })
  size!: number;

  @Column({ type: 'text' })
  sha256!: string;

  @Column({ type: 'bytea', select: false })
  content!: Buffer;

  /** e-delivery's verdict on the file's signatures, when the application came through e-delivery. */
  @Column({ type: 'jsonb', nullable: true })
  signatures!: AttachmentSignatures | null;
}
