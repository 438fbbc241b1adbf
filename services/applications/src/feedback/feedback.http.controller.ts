import { Controller, Get, Post } from '@nestjs/common';
import { CallableBy, ContractBody, ContractPath, ContractQuery } from '@umg/platform';
import {
  AnswerFeedbackService,
  type FeedbackAnswer,
  type FeedbackInvitation,
  type FeedbackReceipt,
} from './answer-feedback.service';
import {
  type FeedbackCommentList,
  FeedbackFiguresService,
  type FeedbackMonths,
  type FeedbackSummary,
} from './feedback-figures.service';

/** The applicant's step (through the gateway's public route) and the figures for operators and open data. */
@Controller('internal/v1')
@CallableBy('gateway')
export class FeedbackHttpController {
  constructor(
    private readonly answers: AnswerFeedbackService,
    private readonly figures: FeedbackFiguresService,
  ) {}

  @Get('feedback-invitations/:tokenHash')
  invitation(
    @ContractPath('applications-internal.getFeedbackInvitation') { tokenHash }: { tokenHash: string },
  ): Promise<FeedbackInvitation> {
    return this.answers.invitation(tokenHash);
  }

  @Post('feedback-invitations/:tokenHash/answer')
  answer(
    @ContractPath('applications-internal.answerFeedback') { tokenHash }: { tokenHash: string },
    @ContractBody('applications-internal.answerFeedback') body: FeedbackAnswer,
  ): Promise<FeedbackReceipt> {
    return this.answers.answer(tokenHash, body);
  }

  @Get('feedback/summary')
  summary(): Promise<FeedbackSummary> {
    return this.figures.summary();
  }

  @Get('feedback/months')
  months(): Promise<FeedbackMonths> {
    return this.figures.months();
  }

  @Get('feedback/comments')
  comments(
    @ContractQuery('applications-internal.listFeedbackComments') query: { limit?: number },
  ): Promise<FeedbackCommentList> {
    return this.figures.comments(query.limit ?? 50);
  }
}
