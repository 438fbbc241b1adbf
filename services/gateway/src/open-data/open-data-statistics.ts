import { districts } from '@umg/catalogue';
import type { OpenData } from '@umg/contracts';
import type { ApplicationStatistics } from '../applications/applications.client';

type Schemas = OpenData.components['schemas'];
export type OpenDataStatistics = Schemas['OpenDataStatistics'];

/** Counts from 1 to 4 are published as null: a rare service in a small district could point at a person. */
export const SUPPRESSION_THRESHOLD = 5;
/**
 * Every other count is published rounded down to a multiple of 5. Suppression alone is undone by
 * arithmetic: received − open = closed, and a column's district rows and service rows add up to the
 * same total. With each published count short by 0 to 4, every such sum or difference leaves a
 * suppressed cell anywhere from 1 to 4. (Rounding to the nearest multiple is not enough: two hidden
 * parts of 4 make 8, the only pair that rounds to 10, so both would be known.) The rounding is
 * deterministic (the same figure always reads the same), so asking again, or every minute, averages
 * nothing away.
 */
export const ROUNDING_BASE = 5;

/** The anonymised open-data view of the applications service's figures: counts and rates only. */
export function openDataStatistics(figures: ApplicationStatistics): OpenDataStatistics {
  return {
    generatedAt: figures.generatedAt,
    suppressionThreshold: SUPPRESSION_THRESHOLD,
    roundingBase: ROUNDING_BASE,
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

/** A count as published: 0 as 0, 1 to 4 as null, the rest rounded down to a multiple of ROUNDING_BASE. */
export function suppressed(count: number): number | null {
  if (count > 0 && count < SUPPRESSION_THRESHOLD) return null;
  return Math.floor(count / ROUNDING_BASE) * ROUNDING_BASE;
}

function suppressedRate(part: number, whole: number): number | null {
  if (whole === 0 || suppressed(part) === null || suppressed(whole) === null) return null;
  return Math.round((part / whole) * 100) / 100;
}

/** One RFC 4180 cell: null empty, a value with a comma, quote or line break quoted. */
export function csvCell(value: string | number | null): string {
  if (value === null) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
