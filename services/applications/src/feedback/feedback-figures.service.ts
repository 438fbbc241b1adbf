import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { ApplicationsInternal, Feedback } from '@umg/contracts';

type Schemas = ApplicationsInternal.components['schemas'];
export type FeedbackSummary = Schemas['FeedbackSummary'];
export type FeedbackMonths = Schemas['FeedbackMonths'];
export type FeedbackCommentList = Schemas['FeedbackCommentList'];
type HardCounts = Schemas['FeedbackHardCounts'];
type HardPart = Feedback.components['schemas']['FeedbackHardPart'];

export const hardParts: readonly HardPart[] = [
  'finding_the_service',
  'the_form',
  'paying',
  'waiting',
  'the_result',
  'other',
];

/** Per group: the ratings' distribution and each "what was hard" counted, in one pass. */
const answerColumns = `
  count(f.answered_at)::int AS answers,
  coalesce(sum(f.rating), 0)::int AS rating_sum,
  array[${[1, 2, 3, 4, 5].map((rating) => `count(*) FILTER (WHERE f.rating = ${rating})::int`).join(', ')}] AS ratings,
  array[${hardParts.map((part) => `count(*) FILTER (WHERE '${part}' = ANY (f.hard))::int`).join(', ')}] AS hard`;

interface AnswerColumns {
  answers: number;
  rating_sum: number;
  ratings: number[];
  hard: number[];
}

/**
 * The operators' and open data's figures of the answers. Timings come from the same rows: each
 * invitation keeps when its application was received and delivered, so a group's median delivery
 * time is over exactly the results that invited feedback. Comments leave only through `comments`.
 */
@Injectable()
export class FeedbackFiguresService {
  constructor(private readonly dataSource: DataSource) {}

  async summary(now = new Date()): Promise<FeedbackSummary> {
    const rows = await this.dataSource.query<
      (AnswerColumns & {
        life_event: string | null;
        service_number: number;
        service_name: string;
        district_code: string;
        delivered: number;
        median_seconds: number | null;
      })[]
    >(
      `SELECT f.life_event, f.service_number, min(f.service_name) AS service_name, f.district_code,
              count(*)::int AS delivered,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM f.delivered_at - f.received_at)) AS median_seconds,
              ${answerColumns}
         FROM applications.feedback f
        GROUP BY f.life_event, f.service_number, f.district_code
        ORDER BY answers DESC, delivered DESC, f.service_number, f.district_code, f.life_event NULLS FIRST`,
    );
    return {
      generatedAt: now.toISOString(),
      groups: rows.map((row) => ({
        lifeEvent: row.life_event,
        serviceNumber: row.service_number,
        serviceName: row.service_name,
        districtCode: row.district_code,
        delivered: row.delivered,
        medianDeliverySeconds: row.median_seconds === null ? null : Math.round(Number(row.median_seconds)),
        answers: row.answers,
        meanRating: row.answers === 0 ? null : Math.round((row.rating_sum / row.answers) * 100) / 100,
        ratings: row.ratings,
        hard: hardCounts(row.hard),
      })),
    };
  }

  /** Exact counts per Sofia calendar month of the answer; the gateway suppresses before publishing. */
  async months(now = new Date()): Promise<FeedbackMonths> {
    const rows = await this.dataSource.query<
      (AnswerColumns & {
        month: string;
        life_event: string | null;
        service_number: number;
        service_name: string;
        district_code: string;
      })[]
    >(
      `SELECT to_char(f.answered_at AT TIME ZONE 'Europe/Sofia', 'YYYY-MM') AS month,
              f.life_event, f.service_number, min(f.service_name) AS service_name, f.district_code,
              ${answerColumns}
         FROM applications.feedback f
        WHERE f.answered_at IS NOT NULL
        GROUP BY 1, f.life_event, f.service_number, f.district_code
        ORDER BY 1, f.service_number, f.district_code, f.life_event NULLS FIRST`,
    );
    return {
      generatedAt: now.toISOString(),
      months: rows.map((row) => ({
        month: row.month,
        lifeEvent: row.life_event,
        serviceNumber: row.service_number,
        serviceName: row.service_name,
        districtCode: row.district_code,
        answers: row.answers,
        ratingSum: row.rating_sum,
        ratings: row.ratings,
        hard: hardCounts(row.hard),
      })),
    };
  }

  /** The newest answers with a comment; no application id, no applicant. */
  async comments(limit: number): Promise<FeedbackCommentList> {
    const rows = await this.dataSource.query<
      {
        answered_at: Date;
        rating: number;
        hard: HardPart[];
        comment: string;
        life_event: string | null;
        service_number: number;
        service_name: string;
        district_code: string;
      }[]
    >(
      `SELECT answered_at, rating, hard, comment, life_event, service_number, service_name, district_code
         FROM applications.feedback
        WHERE answered_at IS NOT NULL AND comment IS NOT NULL
        ORDER BY answered_at DESC LIMIT $1`,
      [limit],
    );
    return {
      items: rows.map((row) => ({
        answeredAt: row.answered_at.toISOString(),
        rating: row.rating,
        hard: row.hard,
        comment: row.comment,
        lifeEvent: row.life_event,
        serviceNumber: row.service_number,
        serviceName: row.service_name,
        districtCode: row.district_code,
      })),
    };
  }
}

function hardCounts(counts: number[]): HardCounts {
  return Object.fromEntries(hardParts.map((part, index) => [part, counts[index] ?? 0])) as HardCounts;
}
