import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A document the district produced: the result of the service or a refusal. */
@Entity({ name: 'document' })
export class DocumentEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column({ name: 'application_id', type: 'uuid' })
  applicationId!: string;

  @Column({ type: 'text' })
  kind!: 'result' | 'refusal';

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

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  /** Set when e-delivery refused the document and a replacement took its place: kept for the record, never delivered again. */
  @Column({ name: 'superseded_at', type: 'timestamptz', nullable: true })
  supersededAt!: Date | null;

  @Column({ name: 'superseded_by', type: 'uuid', nullable: true })
  supersededBy!: string | null;
}
