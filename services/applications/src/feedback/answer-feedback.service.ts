import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Feedback } from '@umg/contracts';
import { FeedbackError, FeedbackErrorCode } from './feedback-error';

type Schemas = Feedback.components['schemas'];
export type FeedbackInvitation = Schemas['FeedbackInvitation'];
export type FeedbackAnswer = Schemas['FeedbackAnswer'];
export type FeedbackReceipt = Schemas['FeedbackReceipt'];

interface InvitationRow {
  service_number: number;
  service_name: string;
  district_code: string;
  expires_at: Date;
  answered_at: Date | null;
}

/**
 * The applicant's one step: read what the link is about, then answer once. The answer is one
 * UPDATE that succeeds only on an unanswered, unexpired invitation, so two answers racing each
 * other record one; the loser learns why from the row.
 */
@Injectable()
export class AnswerFeedbackService {
  constructor(private readonly dataSource: DataSource) {}

  async invitation(tokenHash: string, now = new Date()): Promise<FeedbackInvitation> {
    const row = await this.find(tokenHash);
    if (row.expires_at <= now && !row.answered_at) throw expired();
    return {
      serviceNumber: row.service_number,
      serviceName: row.service_name,
      districtCode: row.district_code,
      answered: row.answered_at !== null,
      expiresAt: row.expires_at.toISOString(),
    };
  }

  async answer(tokenHash: string, answer: FeedbackAnswer, now = new Date()): Promise<FeedbackReceipt> {
    const [rows] = (await this.dataSource.query(
      `UPDATE applications.feedback SET answered_at = $2, rating = $3, hard = $4, comment = $5
        WHERE token_hash = $1 AND answered_at IS NULL AND expires_at > $2
        RETURNING answered_at`,
      [tokenHash, now, answer.rating, answer.hard, cleanComment(answer.comment)],
    )) as [{ answered_at: Date }[], number];
    if (rows.length === 1) return { answeredAt: rows[0]!.answered_at.toISOString() };
    const row = await this.find(tokenHash);
    if (row.answered_at) {
      throw new FeedbackError(FeedbackErrorCode.AlreadyGiven, 'this link was answered already; one answer per result');
    }
    throw expired();
  }

  private async find(tokenHash: string): Promise<InvitationRow> {
    const [row] = await this.dataSource.query<InvitationRow[]>(
      `SELECT service_number, service_name, district_code, expires_at, answered_at
         FROM applications.feedback WHERE token_hash = $1`,
      [tokenHash],
    );
    if (!row) throw new FeedbackError(FeedbackErrorCode.InvitationNotFound, 'no feedback invitation has this link');
    return row;
  }
}

function expired(): FeedbackError {
  return new FeedbackError(FeedbackErrorCode.InvitationExpired, 'the time to answer this link has passed');
}

/** Trimmed, control characters (but line breaks) removed; an empty comment is no comment. */
export function cleanComment(comment: string | undefined): string | null {
  // eslint-disable-next-line no-control-regex
  const cleaned = (comment ?? '').replace(/[\u0000-\u0009\u000b-\u001f\u007f]/g, '').trim();
  return cleaned === '' ? null : cleaned;
}
