import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { PaymentsInternalComponents } from '@umg/contracts';
import { findDistrict } from '@umg/catalogue';
import { PaymentError, PaymentErrorCode } from '../payment-error';
import { PAYMENTS_CONFIG } from '../payments-config.token';
import type { PaymentsConfig } from '../config';

type ReconciliationReport = PaymentsInternalComponents['schemas']['ReconciliationReport'];

/**
 * A district's payment requests created on one day (Europe/Sofia), counted and summed by status,
 * and the mismatches reconciliation repaired that day.
 */
@Injectable()
export class ReconciliationReportService {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(PAYMENTS_CONFIG) private readonly config: PaymentsConfig,
  ) {}

  /** `district` and `date` as the contract checked them (a district code's form, a calendar date). */
  async report(district: string, date: string): Promise<ReconciliationReport> {
    if (!findDistrict(district)) {
      throw new PaymentError(PaymentErrorCode.ValidationFailed, 'district: expected a district code');
    }
    const byStatus = (await this.dataSource.query(
      `SELECT status, count(*)::int AS count, coalesce(sum(amount_minor), 0)::int AS amount
         FROM payments.payment_request
        WHERE district_code = $1 AND currency = $3
          AND created_at >= ($2::date)::timestamp AT TIME ZONE 'Europe/Sofia'
          AND created_at < ($2::date + 1)::timestamp AT TIME ZONE 'Europe/Sofia'
        GROUP BY status ORDER BY status`,
      [district, date, this.config.PAYMENTS_CURRENCY],
    )) as { status: string; count: number; amount: number }[];
    const mismatches = (await this.dataSource.query(
      `SELECT r.payment_request_id, p.ais_payment_id, r.recorded_status, r.reported_status, r.received_at
         FROM payments.payment_status_report r JOIN payments.payment_request p ON p.id = r.payment_request_id
        WHERE p.district_code = $1 AND r.source = 'reconciliation' AND r.applied
          AND r.received_at >= ($2::date)::timestamp AT TIME ZONE 'Europe/Sofia'
          AND r.received_at < ($2::date + 1)::timestamp AT TIME ZONE 'Europe/Sofia'
        ORDER BY r.id`,
      [district, date],
    )) as {
      payment_request_id: string;
      ais_payment_id: string;
      recorded_status: string;
      reported_status: string;
      received_at: Date;
    }[];
    return {
      districtCode: district,
      date,
      currency: this.config.PAYMENTS_CURRENCY,
      byStatus: byStatus.map((row) => ({ status: row.status, count: row.count, amountMinor: row.amount })),
      mismatches: mismatches.map((row) => ({
        paymentRequestId: row.payment_request_id,
        aisPaymentId: row.ais_payment_id,
        recordedStatus: row.recorded_status,
        reportedStatus: row.reported_status,
        foundAt: row.received_at.toISOString(),
      })),
    };
  }
}
