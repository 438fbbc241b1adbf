import type { PaymentsInternalComponents } from '@umg/contracts';

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

/** The report as CSV (RFC 4180): one `status` line per status, one `mismatch` line per repaired request. */
export function reconciliationReportCsv(report: ReconciliationReport): string {
  const lines = [
    header,
    ...report.byStatus.map((entry) => [
      'status',
      report.districtCode,
      report.date,
      entry.status,
      String(entry.count),
      String(entry.amountMinor),
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
  return lines.map((fields) => fields.map(csvField).join(',')).join('\r\n') + '\r\n';
}

function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}
