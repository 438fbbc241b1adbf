import { Controller, Get } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { PaymentsInternalComponents } from '@umg/contracts';
import { CallableBy, ContractPath } from '@umg/platform';

type PaymentStatusReport = PaymentsInternalComponents['schemas']['PaymentStatusReport'];

interface ReportRow {
  payment_request_id: string;
  source: string;
  reported_status: string;
  change_time: Date | null;
  recorded_status: string;
  applied: boolean;
  received_at: Date;
}

/** What the payment system reported about one application's payment requests, for the operator's view of it. */
@Controller('internal/v1/applications/:applicationId/payment-status-reports')
@CallableBy('gateway')
export class ListPaymentStatusReportsHttpController {
  constructor(private readonly dataSource: DataSource) {}

  @Get()
  async list(
    @ContractPath('payments-internal.listPaymentStatusReports') { applicationId }: { applicationId: string },
  ): Promise<{ items: PaymentStatusReport[] }> {
    const rows = await this.dataSource.query<ReportRow[]>(
      `SELECT r.payment_request_id, r.source, r.reported_status, r.change_time, r.recorded_status, r.applied, r.received_at
         FROM payments.payment_status_report r JOIN payments.payment_request p ON p.id = r.payment_request_id
        WHERE p.application_id = $1
        ORDER BY r.id`,
      [applicationId],
    );
    return {
      items: rows.map((row) => ({
        paymentRequestId: row.payment_request_id,
        source: row.source,
        reportedStatus: row.reported_status,
        changeTime: row.change_time?.toISOString() ?? null,
        recordedStatus: row.recorded_status,
        applied: row.applied,
        receivedAt: row.received_at.toISOString(),
      })),
    };
  }
}
