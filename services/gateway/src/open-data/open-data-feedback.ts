import type { OpenData } from '@umg/contracts';
import type { FeedbackMonths } from '../applications/applications.client';
import { csvTable } from '@umg/platform';
import { SUPPRESSION_THRESHOLD } from './open-data-statistics';

type Schemas = OpenData.components['schemas'];
export type OpenDataFeedback = Schemas['OpenDataFeedback'];

/**
 * The published feedback: a row with fewer than SUPPRESSION_THRESHOLD answers has every figure
 * null. Below five answers for one service in one district in a month, the district's clerks
 * could tell who answered, and with them what that person rated and found hard. The rows are one
 * level (no totals per district or service are published), so no sum or difference of published
 * figures gives a suppressed one back, and exact counts need no rounding here.
 */
export function openDataFeedback(figures: FeedbackMonths): OpenDataFeedback {
  return {
    generatedAt: figures.generatedAt,
    suppressionThreshold: SUPPRESSION_THRESHOLD,
    rows: figures.months.map((row) => {
      const shown = row.answers >= SUPPRESSION_THRESHOLD;
      return {
        month: row.month,
        serviceNumber: row.serviceNumber,
        serviceName: row.serviceName,
        districtCode: row.districtCode,
        lifeEvent: row.lifeEvent,
        answers: shown ? row.answers : null,
        meanRating: shown ? Math.round((row.ratingSum / row.answers) * 100) / 100 : null,
        ratings: shown ? row.ratings : null,
        hard: shown ? row.hard : null,
      };
    }),
  };
}

const hardColumns = ['finding_the_service', 'the_form', 'paying', 'waiting', 'the_result', 'other'] as const;
const columns = [
  'month',
  'service_number',
  'service_name',
  'district_code',
  'life_event',
  'answers',
  'mean_rating',
  ...[1, 2, 3, 4, 5].map((rating) => `rating_${rating}`),
  ...hardColumns.map((part) => `hard_${part}`),
];

/** The same rows as one RFC 4180 table; suppressed cells empty. */
export function openDataFeedbackCsv(feedback: OpenDataFeedback): string {
  const rows = feedback.rows.map((row) => [
    row.month,
    row.serviceNumber,
    row.serviceName,
    row.districtCode,
    row.lifeEvent ?? '',
    row.answers,
    row.meanRating,
    ...(row.ratings ?? [null, null, null, null, null]),
    ...hardColumns.map((part) => (row.hard ? row.hard[part] : null)),
  ]);
  return csvTable([columns, ...rows]);
}
