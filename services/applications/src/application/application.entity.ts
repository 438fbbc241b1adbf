import { Column, Entity, PrimaryColumn, type ValueTransformer } from 'typeorm';
import type { DeadlineTerm } from '@umg/calendar';
import type { TermStart } from '@umg/catalogue';

// node-postgres returns numeric as text.
const numericTransformer: ValueTransformer = {
  to: (value: number | null) => value,
  from: (value: string | null) => (value === null ? null : Number(value)),
};

export interface PartyRecord {
  identifierType: 'EGN' | 'LNCH' | 'EIK';
  identifier: string;
  name: string;
  capacity?: string;
}

/** The handover of a result collected at the desk; the recipient's identifier is personal data. */
export interface HandoverRecord {
  handedOverAt: string;
  handedOverBy: string;
  actor: { kind: 'district' | 'operator'; id: string };
  recipient: { name: string; identifierType?: 'EGN' | 'LNCH' | 'EIK'; identifier?: string };
}

/** An application as the applications service stores it; never leaves the service as is. */
@Entity({ name: 'application' })
export class ApplicationEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column({ name: 'portal_application_id', type: 'text' })
  portalApplicationId!: string;

  @Column({ name: 'service_reference_number', type: 'text' })
  serviceReferenceNumber!: string;

  @Column({ name: 'service_number', type: 'integer' })
  serviceNumber!: number;

  @Column({ name: 'service_name', type: 'text' })
  serviceName!: string;

  @Column({ name: 'district_code', type: 'text' })
  districtCode!: string;

  @Column({ type: 'text' })
  urgency!: string;

  @Column({ type: 'text' })
  status!: string;

  @Column({ name: 'registration_number', type: 'text', nullable: true })
  registrationNumber!: string | null;

  @Column({ type: 'jsonb' })
  applicant!: PartyRecord;

  @Column({ type: 'jsonb', nullable: true })
  representative!: PartyRecord | null;

  @Column({ name: 'delivery_channel', type: 'text' })
  deliveryChannel!: string;

  @Column({ name: 'e_delivery_profile_id', type: 'text', nullable: true })
  eDeliveryProfileId!: string | null;

  @Column({ name: 'form_data', type: 'jsonb' })
  /** The e-form's fields as the portal sent them. */
  formData!: object;

  @Column({ name: 'submitted_at', type: 'timestamptz' })
  submittedAt!: Date;

  @Column({ name: 'received_at', type: 'timestamptz' })
  receivedAt!: Date;

  @Column({ name: 'due_at', type: 'timestamptz', nullable: true })
  dueAt!: Date | null;

  @Column({ name: 'overdue_at', type: 'timestamptz', nullable: true })
  overdueAt!: Date | null;

  /** When the due-soon alert was raised (once per application). */
  @Column({ name: 'due_soon_at', type: 'timestamptz', nullable: true })
  dueSoonAt!: Date | null;

  /** The term of the service at the application's urgency, kept so a calendar change can recompute it. */
  @Column({ name: 'term_unit', type: 'text', nullable: true })
  termUnit!: DeadlineTerm['unit'] | null;

  @Column({ name: 'term_amount', type: 'numeric', nullable: true, transformer: numericTransformer })
  termAmount!: number | null;

  @Column({ name: 'term_starts_at', type: 'text', nullable: true })
  termStartsAt!: TermStart | null;

  /** When the term started running: receipt, or payment for a term from payment (null until then). */
  @Column({ name: 'term_started_at', type: 'timestamptz', nullable: true })
  termStartedAt!: Date | null;

  /** Set while the clock stands still (returned for corrections). */
  @Column({ name: 'paused_since', type: 'timestamptz', nullable: true })
  pausedSince!: Date | null;

  /**
   * Set for a conformance sandbox application (the run's id): it exists so a pull district's
   * client can be watched handling it, and publishes nothing but sandbox steps.
   */
  @Column({ name: 'conformance_run_id', type: 'integer', nullable: true })
  conformanceRunId!: number | null;

  /** Set once the result was handed over at the desk (`handed_over`). */
  @Column({ type: 'jsonb', nullable: true })
  handover!: HandoverRecord | null;

  /** Optimistic concurrency: every change increments it; writers state the version they read. */
  @Column({ type: 'integer' })
  version!: number;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}

/** Whether the application is a conformance run's sandbox application. */
export function isSandbox(application: Pick<ApplicationEntity, 'conformanceRunId'>): boolean {
  return (application.conformanceRunId ?? null) !== null;
}
