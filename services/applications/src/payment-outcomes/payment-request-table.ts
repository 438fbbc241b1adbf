import type { EntityManager } from 'typeorm';
import { applicationColumns, applicationFromRow, type ApplicationRow } from '../application/application-row';
import type { ApplicationEntity } from '../application/application.entity';
import { isUuid } from '../application/application.repository';
import { type DecreeDayRow, decreeDaysInForce } from '../calendar/working-calendar';

/** A payment request payments announced for one of our applications (`applications.payment_request`). */
export interface AnnouncedPaymentRequest {
  paymentRequestId: string;
  applicationId: string;
  districtCode: string;
  amountMinor: number;
  currency: string;
}

interface Row {
  payment_request_id: string;
  application_id: string;
  district_code: string;
  amount_minor: string;
  currency: string;
}

const fromRow = (row: Row): AnnouncedPaymentRequest => ({
  paymentRequestId: row.payment_request_id,
  applicationId: row.application_id,
  districtCode: row.district_code,
  amountMinor: Number(row.amount_minor),
  currency: row.currency,
});

/** What a payment outcome is checked against, and what the term's clock needs when it starts. */
export interface PaymentOutcomeSubject {
  application: ApplicationEntity;
  /** The request as announced, for whichever application it was (absent if never announced). */
  request: AnnouncedPaymentRequest | undefined;
  decreeDays: DecreeDayRow[];
}

/**
 * The application, locked, with the announced payment request and the calendar's decree days, in
 * one statement; undefined when there is no such application.
 */
export async function paymentOutcomeSubject(
  manager: EntityManager,
  applicationId: string,
  paymentRequestId: string,
): Promise<PaymentOutcomeSubject | undefined> {
  if (!isUuid(applicationId)) return undefined;
  const [row] = (await manager.query(
    `SELECT ${applicationColumns}, r.payment_request_id, r.application_id AS request_application_id,
            r.district_code AS request_district_code, r.amount_minor, r.currency, ${decreeDaysInForce} AS decree_days
       FROM applications.application a
       LEFT JOIN applications.payment_request r ON r.payment_request_id = $2
      WHERE a.id = $1
      FOR UPDATE OF a`,
    [applicationId, paymentRequestId],
  )) as (ApplicationRow & {
    payment_request_id: string | null;
    request_application_id: string;
    request_district_code: string;
    amount_minor: string;
    currency: string;
    decree_days: DecreeDayRow[];
  })[];
  if (!row) return undefined;
  return {
    application: applicationFromRow(row),
    request:
      row.payment_request_id === null
        ? undefined
        : fromRow({
            payment_request_id: row.payment_request_id,
            application_id: row.request_application_id,
            district_code: row.request_district_code,
            amount_minor: row.amount_minor,
            currency: row.currency,
          }),
    decreeDays: row.decree_days,
  };
}

/**
 * Records the request if new; returns what is recorded (the earlier terms when it was already
 * known): one statement, but for a request another transaction recorded at the same moment.
 */
export async function recordAnnouncedPaymentRequest(
  manager: EntityManager,
  request: AnnouncedPaymentRequest,
): Promise<AnnouncedPaymentRequest> {
  const select = `SELECT payment_request_id, application_id, district_code, amount_minor, currency
       FROM applications.payment_request WHERE payment_request_id = $1`;
  // The statement's snapshot does not see its own insert: the new row comes from RETURNING, a known one from the table.
  const [recorded] = (await manager.query(
    `WITH inserted AS (
       INSERT INTO applications.payment_request (payment_request_id, application_id, district_code, amount_minor, currency)
       VALUES ($1, $2, $3, $4, $5) ON CONFLICT (payment_request_id) DO NOTHING
       RETURNING payment_request_id, application_id, district_code, amount_minor, currency)
     SELECT * FROM inserted UNION ALL ${select}`,
    [request.paymentRequestId, request.applicationId, request.districtCode, request.amountMinor, request.currency],
  )) as Row[];
  // Committed by another transaction after this statement's snapshot was taken: read it again.
  const row = recorded ?? ((await manager.query(select, [request.paymentRequestId])) as Row[])[0];
  return fromRow(row!);
}
