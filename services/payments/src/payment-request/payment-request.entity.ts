import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { PaymentJsonData } from '../payment-system/egov-payment-request';
import type { PaymentRequestProblem, PaymentRequestStatus } from './payment-request-status';

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
  wireRequest!: PaymentJsonData;

  /** The payment-system client the request was created with: it alone may query or change it. */
  @Column({ name: 'payment_system_client_id', type: 'text', nullable: true })
  paymentSystemClientId!: string | null;

  /** The code the applicant types at pay.egov.bg to find the request. */
  @Column({ name: 'access_code', type: 'text', nullable: true })
  accessCode!: string | null;

  /** Why the payment system cannot be reached for this request, for the district and operators. */
  @Column({ type: 'jsonb', nullable: true })
  problem!: PaymentRequestProblem | null;

  @Column({ name: 'rejection_reasons', type: 'jsonb', nullable: true })
  rejectionReasons!: string[] | null;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
