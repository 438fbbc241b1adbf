import { Column, Entity, PrimaryColumn } from 'typeorm';

export type ReceivedMessageState = 'opening' | 'submitted' | 'parked';

/** The message as received, kept for the operator when it could not be read. */
export interface OriginalMessage {
  title: string;
  dateSent: string | null;
  senderName: string | null;
  documents: { id: number; name: string; contentType: string | null; contentBase64: string }[];
}

/** A message in a district's e-delivery inbox that the gateway has started to open, and what became of it. */
@Entity({ name: 'received_message' })
export class ReceivedMessageEntity {
  @PrimaryColumn({ name: 'district_code', type: 'text' })
  districtCode!: string;

  @PrimaryColumn({ name: 'message_id', type: 'integer' })
  messageId!: number;

  @Column({ type: 'text' })
  title!: string;

  @Column({ type: 'text' })
  state!: ReceivedMessageState;

  /** While `opening`: the instance working on it holds it until then. */
  @Column({ name: 'lease_until', type: 'timestamptz' })
  leaseUntil!: Date;

  @Column({ name: 'open_attempts', type: 'integer' })
  openAttempts!: number;

  @Column({ name: 'first_seen_at', type: 'timestamptz' })
  firstSeenAt!: Date;

  @Column({ name: 'opened_at', type: 'timestamptz', nullable: true })
  openedAt!: Date | null;

  @Column({ name: 'portal_application_id', type: 'text', nullable: true })
  portalApplicationId!: string | null;

  @Column({ type: 'jsonb', nullable: true })
  reason!: { code: string; message: string } | null;

  @Column({ type: 'jsonb', nullable: true })
  original!: OriginalMessage | null;
}
