import { districts } from '@umg/catalogue';
import type { OpenData } from '@umg/contracts';
import type { ApplicationStatistics } from '../applications/applications.client';

type Schemas = OpenData.components['schemas'];
export type OpenDataStatistics = Schemas['OpenDataStatistics'];

/** Counts from 1 to 4 are published as null: a rare service in a small district could point at a person. */
export const SUPPRESSION_THRESHOLD = 5;

/** The anonymised open-data view of the applications service's figures: counts and rates only. */
export function openDataStatistics(figures: ApplicationStatistics): OpenDataStatistics {
  return {
    generatedAt: figures.generatedAt,
    suppressionThreshold: SUPPRESSION_THRESHOLD,
    districts: figures.districts.map((district) => {
      const names = districts.find((known) => known.code === district.districtCode);
      return {
        code: district.districtCode,
        nameBg: names?.nameBg ?? district.districtCode,
        nameEn: names?.nameEn ?? district.districtCode,
        received: suppressed(district.total),
        open: suppressed(district.open),
        closed: suppressed(district.total - district.open),
        overdue: suppressed(district.overdue),
        paymentConversion: suppressedRate(district.payments.paid, district.payments.requested),
        deliverySuccess: suppressedRate(district.deliveries.delivered, district.deliveries.sent),
      };
    }),
    services: [...figures.services]
      .sort((a, b) => a.serviceNumber - b.serviceNumber)
      .map((service) => ({
        serviceNumber: service.serviceNumber,
        serviceName: service.serviceName,
        received: suppressed(service.total),
        open: suppressed(service.open),
        closed: suppressed(service.closed),
        overdue: suppressed(service.overdue),
      })),
  };
}

const columns = [
  'scope',
  'code',
  'name_bg',
  'name_en',
  'received',
  'open',
  'closed',
  'overdue',
  'payment_conversion',
  'delivery_success',
];

/** The same figures as one RFC 4180 table: district rows, then service rows; suppressed cells empty. */
export function openDataCsv(statistics: OpenDataStatistics): string {
  const rows: (string | number | null)[][] = [
    ...statistics.districts.map((d) => [
      'district',
      d.code,
      d.nameBg,
      d.nameEn,
      d.received,
      d.open,
      d.closed,
      d.overdue,
      d.paymentConversion,
      d.deliverySuccess,
    ]),
    ...statistics.services.map((s) => [
      'service',
      s.serviceNumber,
      s.serviceName,
      '',
      s.received,
      s.open,
      s.closed,
      s.overdue,
      null,
      null,
    ]),
  ];
  return [columns, ...rows].map((row) => row.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

function suppressed(count: number): number | null {
  return count > 0 && count < SUPPRESSION_THRESHOLD ? null : count;
}

function suppressedRate(part: number, whole: number): number | null {
  if (whole === 0 || suppressed(part) === null || suppressed(whole) === null) return null;
  return Math.round((part / whole) * 100) / 100;
}

function csvCell(value: string | number | null): string {
  if (value === null) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
