import type { EntityManager } from 'typeorm';

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

export async function announcedPaymentRequest(
  manager: EntityManager,
  paymentRequestId: string,
): Promise<AnnouncedPaymentRequest | undefined> {
  const rows = (await manager.query(
    `SELECT payment_request_id, application_id, district_code, amount_minor, currency
       FROM applications.payment_request WHERE payment_request_id = $1`,
    [paymentRequestId],
  )) as Row[];
  return rows[0] ? fromRow(rows[0]) : undefined;
}

/** Records the request if new; returns what is recorded (the earlier terms when it was already known). */
export async function recordAnnouncedPaymentRequest(
  manager: EntityManager,
  request: AnnouncedPaymentRequest,
): Promise<AnnouncedPaymentRequest> {
  await manager.query(
    `INSERT INTO applications.payment_request (payment_request_id, application_id, district_code, amount_minor, currency)
     VALUES ($1, $2, $3, $4, $5) ON CONFLICT (payment_request_id) DO NOTHING`,
    [request.paymentRequestId, request.applicationId, request.districtCode, request.amountMinor, request.currency],
  );
  return (await announcedPaymentRequest(manager, request.paymentRequestId))!;
}
