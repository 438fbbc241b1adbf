import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { EgovPaymentRequest } from '../payment-system/egov-payment-request';
import type { PaymentRequestStatus } from './payment-request-status';

/** A payment request for an application's fee, as payments stores it; never leaves the service as is. */
@Entity({ name: 'payment_request' })
export class PaymentRequestEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column({ name: 'application_id', type: 'uuid' })
  applicationId!: string;

  /** Timeline position of the application's `awaiting_payment` entry that asked for this request. */
  @Column({ name: 'application_sequence', type: 'integer' })
  applicationSequence!: number;

  @Column({ type: 'integer' })
  attempt!: number;

  @Column({ name: 'ais_payment_id', type: 'text' })
  aisPaymentId!: string;

  @Column({ name: 'payment_system_id', type: 'text', nullable: true })
  paymentSystemId!: string | null;

  @Column({ name: 'district_code', type: 'text' })
  districtCode!: string;

  @Column({ name: 'service_number', type: 'integer' })
  serviceNumber!: number;

  @Column({ type: 'text' })
  urgency!: string;

  @Column({ name: 'amount_minor', type: 'integer' })
  amountMinor!: number;

  @Column({ type: 'text' })
  currency!: 'EUR' | 'BGN';

  @Column({ type: 'text' })
  status!: PaymentRequestStatus;

  /** The payment system's ChangeTime of the current status. */
  @Column({ name: 'status_changed_at', type: 'timestamptz', nullable: true })
  statusChangedAt!: Date | null;

  /** PaymentStatusChanged messages published for this request. */
  @Column({ type: 'integer' })
  sequence!: number;

  /** The request exactly as it is (re)sent; holds the applicant's ЕГН, never logged. */
  @Column({ name: 'wire_request', type: 'jsonb' })
  wireRequest!: EgovPaymentRequest;

  @Column({ name: 'rejection_reasons', type: 'jsonb', nullable: true })
  rejectionReasons!: string[] | null;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
