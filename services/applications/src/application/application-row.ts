import type { DeadlineTerm } from '@umg/calendar';
import type { TermStart } from '@umg/catalogue';
import { ApplicationEntity, type HandoverRecord, type PartyRecord } from './application.entity';

/**
 * The application's columns for hand-written reads (alias `a`), and their mapping to the entity:
 * the hot paths read an application in one statement of their own, without TypeORM's query
 * building and hydration, and get the same entity.
 */
export const applicationColumns = `a.id, a.portal_application_id, a.service_reference_number, a.service_number,
  a.service_name, a.district_code, a.urgency, a.status, a.registration_number, a.applicant, a.representative,
  a.delivery_channel, a.e_delivery_profile_id, a.form_data, a.submitted_at, a.received_at, a.due_at,
  a.overdue_at, a.due_soon_at, a.term_unit, a.term_amount, a.term_starts_at, a.term_started_at,
  a.paused_since, a.conformance_run_id, a.handover, a.version, a.updated_at`;

/** A row with `applicationColumns`, as node-postgres returns it. */
export interface ApplicationRow {
  id: string;
  portal_application_id: string;
  service_reference_number: string;
  service_number: number;
  service_name: string;
  district_code: string;
  urgency: string;
  status: string;
  registration_number: string | null;
  applicant: PartyRecord;
  representative: PartyRecord | null;
  delivery_channel: string;
  e_delivery_profile_id: string | null;
  form_data: object;
  submitted_at: Date;
  received_at: Date;
  due_at: Date | null;
  overdue_at: Date | null;
  due_soon_at: Date | null;
  term_unit: DeadlineTerm['unit'] | null;
  // numeric comes back as text.
  term_amount: string | null;
  term_starts_at: TermStart | null;
  term_started_at: Date | null;
  paused_since: Date | null;
  conformance_run_id: number | null;
  handover: HandoverRecord | null;
  version: number;
  updated_at: Date;
}

export function applicationFromRow(row: ApplicationRow): ApplicationEntity {
  return Object.assign(new ApplicationEntity(), {
    id: row.id,
    portalApplicationId: row.portal_application_id,
    serviceReferenceNumber: row.service_reference_number,
    serviceNumber: row.service_number,
    serviceName: row.service_name,
    districtCode: row.district_code,
    urgency: row.urgency,
    status: row.status,
    registrationNumber: row.registration_number,
    applicant: row.applicant,
    representative: row.representative,
    deliveryChannel: row.delivery_channel,
    eDeliveryProfileId: row.e_delivery_profile_id,
    formData: row.form_data,
    submittedAt: row.submitted_at,
    receivedAt: row.received_at,
    dueAt: row.due_at,
    overdueAt: row.overdue_at,
    dueSoonAt: row.due_soon_at,
    termUnit: row.term_unit,
    termAmount: row.term_amount === null ? null : Number(row.term_amount),
    termStartsAt: row.term_starts_at,
    termStartedAt: row.term_started_at,
    pausedSince: row.paused_since,
    conformanceRunId: row.conformance_run_id,
    handover: row.handover,
    version: row.version,
    updatedAt: row.updated_at,
  } satisfies Record<keyof ApplicationEntity, unknown>);
}
