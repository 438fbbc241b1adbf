import { Controller, Get, Headers, Param, Post, Req, Res, UseGuards } from '@nestjs/common';
import type { Request, Response } from 'express';
import { feedbackTokenHash, feedbackTokenPattern } from '@umg/contracts';
import { contractValue, InternetFacing } from '@umg/platform';
import { ProblemException } from '@umg/problem';
import { ApplicationsClient, type FeedbackAnswer } from '../applications/applications.client';
import { ApplicantRateLimitGuard } from './applicant-rate-limit.guard';
import { feedbackFormPage, feedbackProblemPage, feedbackThanksPage } from './feedback-page';

/**
 * The applicant's one short step from the final notice (contracts/openapi/feedback.yaml): a browser
 * gets a small form and posts it; an API client asks for and sends JSON. The token is the only
 * authority; it is hashed here and only its hash goes on to the applications service.
 */
@InternetFacing()
@Controller('feedback')
@UseGuards(ApplicantRateLimitGuard)
export class ApplicantFeedbackHttpController {
  constructor(private readonly applications: ApplicationsClient) {}

  @Get(':token')
  async show(
    @Param('token') token: string,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<unknown> {
    const json = request.accepts(['text/html', 'application/json']) === 'application/json';
    response.setHeader('Cache-Control', 'no-store');
    return this.answered(json, response, async () => {
      const invitation = await this.applications.feedbackInvitation(hashOf(token));
      return json ? invitation : html(response, 200, feedbackFormPage(invitation, `/feedback/${token}`));
    });
  }

  @Post(':token')
  async answer(
    @Param('token') token: string,
    @Headers('content-type') contentType: string | undefined,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<unknown> {
    const json = (contentType ?? '').toLowerCase().startsWith('application/json');
    response.setHeader('Cache-Control', 'no-store');
    return this.answered(json, response, async () => {
      const tokenHash = hashOf(token);
      const answer = contractValue<FeedbackAnswer>(
        'feedback.FeedbackAnswer',
        json ? request.body : fromForm(request.body),
      );
      const receipt = await this.applications.answerFeedback(tokenHash, answer);
      response.status(201);
      return json ? receipt : html(response, 201, feedbackThanksPage());
    });
  }

  /** JSON clients get the problem answer as is; a browser gets a page saying it in words, with the same status. */
  private async answered(json: boolean, response: Response, work: () => Promise<unknown>): Promise<unknown> {
    try {
      return await work();
    } catch (error) {
      if (json || !(error instanceof ProblemException)) throw error;
      return html(response, error.status, feedbackProblemPage(error.status, error.code));
    }
  }
}

/** A token of the wrong shape was never issued: 404 at once, without asking anyone. */
function hashOf(token: string): string {
  if (!feedbackTokenPattern.test(token)) {
    throw new ProblemException(404, 'feedback_invitation_not_found', 'No such feedback invitation');
  }
  return feedbackTokenHash(token);
}

/** The form's fields as the contract's answer: the rating a number, `hard` always a list. */
function fromForm(body: unknown): unknown {
  const form = (body ?? {}) as Record<string, unknown>;
  const rating = typeof form.rating === 'string' && /^\d$/.test(form.rating) ? Number(form.rating) : form.rating;
  const hard = form.hard === undefined ? [] : Array.isArray(form.hard) ? form.hard : [form.hard];
  const comment = typeof form.comment === 'string' && form.comment.trim() !== '' ? form.comment : undefined;
  return { rating, hard, ...(comment === undefined ? {} : { comment }) };
}

function html(response: Response, status: number, page: string): string {
  response.status(status);
  response.setHeader('Content-Type', 'text/html; charset=utf-8');
  return page;
}
