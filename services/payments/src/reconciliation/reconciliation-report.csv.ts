import type { PaymentsInternalComponents } from '@umg/contracts';
import { type CsvCell, csvTable } from '@umg/platform';

type ReconciliationReport = PaymentsInternalComponents['schemas']['ReconciliationReport'];

const header = [
  'record',
  'district',
  'date',
  'status',
  'count',
  'amount_minor',
  'currency',
  'payment_request_id',
  'ais_payment_id',
  'recorded_status',
  'reported_status',
  'found_at',
];

/** The report as CSV (see csvTable): one `status` line per status, one `mismatch` line per repaired request. */
export function reconciliationReportCsv(report: ReconciliationReport): string {
  const lines: CsvCell[][] = [
    header,
    ...report.byStatus.map((entry) => [
      'status',
      report.districtCode,
      report.date,
      entry.status,
      entry.count,
      entry.amountMinor,
      report.currency,
      '',
      '',
      '',
      '',
      '',
    ]),
    ...report.mismatches.map((entry) => [
      'mismatch',
      report.districtCode,
      report.date,
      entry.reportedStatus,
      '',
      '',
      '',
      entry.paymentRequestId,
      entry.aisPaymentId,
      entry.recordedStatus,
      entry.reportedStatus,
      entry.foundAt,
    ]),
  ];
  return csvTable(lines);
}
