import { Controller, Get, UseGuards } from '@nestjs/common';
import { ContractQuery } from '@umg/platform';
import {
  ApplicationsClient,
  type FeedbackCommentList,
  type FeedbackSummary,
} from '../applications/applications.client';
import { CurrentOperator } from '../operators/current-operator.decorator';
import { OperatorAuthGuard } from '../operators/operator-auth.guard';
import type { OperatorPrincipal } from '../operators/operator-principal';
import { RequireRole } from '../operators/operator-role';

/**
 * What applicants said, for the console: the aggregates to every viewer; the comments, which may
 * hold personal data, to the `operator` role only, each read in the signed exchange log.
 */
@Controller('operator/v1/feedback')
@UseGuards(OperatorAuthGuard)
export class OperatorFeedbackHttpController {
  constructor(private readonly applications: ApplicationsClient) {}

  @Get()
  @RequireRole('viewer')
  summary(@CurrentOperator() operator: OperatorPrincipal): Promise<FeedbackSummary> {
    return this.applications.feedbackSummary(operator);
  }

  @Get('comments')
  @RequireRole('operator')
  comments(
    @CurrentOperator() operator: OperatorPrincipal,
    @ContractQuery('operator-api.listFeedbackComments') query: Record<string, unknown>,
  ): Promise<FeedbackCommentList> {
    return this.applications.feedbackComments(operator, query);
  }
}
