import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { DeliveryNoticeKind, DeliveryStatus } from '@umg/contracts';

export interface ApplicantRecord {
  identifierType: 'EGN' | 'LNCH' | 'EIK';
  identifier: string;
  name: string;
}

export interface ReasonRecord {
  code?: string;
  message: string;
  field?: string;
}

/** One notice or result to deliver to an applicant's e-delivery profile; also the worker's queue entry. */
/** The fee of a payment notice and what the applicant types at pay.egov.bg to pay it. */
export interface PaymentNoticeRecord {
  amountMinor: number;
  currency: 'EUR' | 'BGN';
  paymentSystemId: string;
  accessCode: string | null;
  expiresAt: string | null;
}

@Entity({ name: 'delivery' })
export class DeliveryEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column({ name: 'application_id', type: 'uuid' })
  applicationId!: string;

  @Column({ name: 'district_code', type: 'text' })
  districtCode!: string;

  @Column({ name: 'notice_kind', type: 'text' })
  noticeKind!: DeliveryNoticeKind;

  /** The application event's sequence: with the application and the kind, it names the notice. */
  @Column({ name: 'event_sequence', type: 'integer' })
  eventSequence!: number;

  @Column({ name: 'service_reference_number', type: 'text' })
  serviceReferenceNumber!: string;

  @Column({ name: 'service_number', type: 'integer' })
  serviceNumber!: number;

  @Column({ name: 'registration_number', type: 'text', nullable: true })
  registrationNumber!: string | null;

  @Column({ type: 'jsonb' })
  applicant!: ApplicantRecord;

  @Column({ name: 'e_delivery_profile_id', type: 'text', nullable: true })
  eDeliveryProfileId!: string | null;

  /** Reasons of a return for corrections or a refusal, for the message's text. */
  @Column({ type: 'jsonb', nullable: true })
  reasons!: ReasonRecord[] | null;

  /** What a payment notice tells: the fee and how to pay it at pay.egov.bg. */
  @Column({ type: 'jsonb', nullable: true })
  payment!: PaymentNoticeRecord | null;

  @Column({ type: 'text' })
  status!: DeliveryStatus;

  @Column({ name: 'status_sequence', type: 'integer' })
  statusSequence!: number;

  @Column({ name: 'recipient_profile_id', type: 'text', nullable: true })
  recipientProfileId!: string | null;

  @Column({ name: 'e_delivery_message_id', type: 'text', nullable: true })
  eDeliveryMessageId!: string | null;

  /** Why the delivery failed or is being retried. */
  @Column({ type: 'jsonb', nullable: true })
  reason!: ReasonRecord | null;

  @Column({ type: 'integer' })
  attempts!: number;

  /** When the worker should next act on it; `null` once final. */
  @Column({ name: 'next_attempt_at', type: 'timestamptz', nullable: true })
  nextAttemptAt!: Date | null;

  /** Set when a worker claims the delivery; its outcome is recorded only under the same token. */
  @Column({ name: 'claim_token', type: 'uuid', nullable: true })
  claimToken!: string | null;

  @Column({ name: 'nro_at', type: 'timestamptz', nullable: true })
  nroAt!: Date | null;

  @Column({ name: 'nrd_at', type: 'timestamptz', nullable: true })
  nrdAt!: Date | null;

  @Column({ name: 'received_at', type: 'timestamptz', nullable: true })
  receivedAt!: Date | null;

  @Column({ name: 'opened_at', type: 'timestamptz', nullable: true })
  openedAt!: Date | null;

  /**
   * Set, and committed, just before SendMessage is called. A delivery claimed again with this set
   * and no message id may already have been sent: it is looked up by our registration number first.
   */
  @Column({ name: 'send_intent_at', type: 'timestamptz', nullable: true })
  sendIntentAt!: Date | null;

  /** The applicant's own e-delivery message (their application) this notice answers, when it came that way. */
  @Column({ name: 'reply_to_message_id', type: 'integer', nullable: true })
  replyToMessageId!: number | null;

  @Column({ name: 'receipt_deadline_at', type: 'timestamptz', nullable: true })
  receiptDeadlineAt!: Date | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
