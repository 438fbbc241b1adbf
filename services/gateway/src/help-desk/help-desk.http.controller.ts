import {
  Body,
  Controller,
  Get,
  Headers,
  HttpCode,
  Post,
  Res,
  UploadedFile,
  UseGuards,
  UseInterceptors,
} from '@nestjs/common';
import type { Response } from 'express';
import type { Application, ApplicationPage, OperatorApi } from '@umg/contracts';
import { ContractBody, ContractPath, ContractQuery } from '@umg/platform';
import { ApplicationsClient } from '../applications/applications.client';
import { checkedResultUpload, ResultUploadInterceptor } from '../applications/result-upload';
import { ResultUploadSlotsGuard } from '../applications/result-upload-slots.guard';
import type { StoredUpload } from '../applications/result-upload-storage';
import { upstreamProblem } from '../applications/upstream-problem';
import type { StoredAnswer } from '../idempotency/stored-answer';
import { CurrentOperator } from '../operators/current-operator.decorator';
import { OperatorAuthGuard } from '../operators/operator-auth.guard';
import type { OperatorPrincipal } from '../operators/operator-principal';
import { RequireRole } from '../operators/operator-role';
import { ApplicationCaseService } from './application-case.service';

type ApplicationCase = OperatorApi.components['schemas']['ApplicationCase'];
type OperatorHandOverRequest = OperatorApi.components['schemas']['OperatorHandOverRequest'];

/**
 * The help desk: viewers find an application and read its whole story; operators act on a
 * district's behalf where it cannot (a replacement for a result e-delivery refused, a desk
 * handover), named on the application's timeline. The applications service applies the rules.
 */
@Controller('operator/v1/applications')
@UseGuards(OperatorAuthGuard)
export class HelpDeskHttpController {
  constructor(
    private readonly applications: ApplicationsClient,
    private readonly cases: ApplicationCaseService,
  ) {}

  @Get()
  @RequireRole('viewer')
  find(
    @CurrentOperator() operator: OperatorPrincipal,
    @ContractQuery('operator-api.findApplications') query: Record<string, unknown>,
  ): Promise<ApplicationPage> {
    return this.applications.findApplications(operator, query);
  }

  @Get(':applicationId')
  @RequireRole('viewer')
  async caseOf(
    @CurrentOperator() operator: OperatorPrincipal,
    @ContractPath('operator-api.getApplicationCase') { applicationId }: { applicationId: string },
    @Res({ passthrough: true }) response: Response,
  ): Promise<ApplicationCase> {
    const found = await this.cases.caseOf(operator, applicationId);
    response.setHeader('ETag', `"${found.application.version}"`);
    return found;
  }

  @Post(':applicationId/result')
  @HttpCode(200)
  @RequireRole('operator')
  @UseGuards(ResultUploadSlotsGuard)
  @UseInterceptors(ResultUploadInterceptor())
  async replaceResult(
    @CurrentOperator() operator: OperatorPrincipal,
    @ContractPath('operator-api.replaceResult') { applicationId }: { applicationId: string },
    @Headers('if-match') ifMatch: string | undefined,
    @UploadedFile() document: StoredUpload | undefined,
    @Body('metadata') metadataText: unknown,
    @Res({ passthrough: true }) response: Response,
  ): Promise<Application> {
    const { metadata, upload } = checkedResultUpload(metadataText, document);
    const application = await this.applications.getApplicationForOperator(operator, applicationId);
    const answer = await this.applications.replaceResultAsOperator(
      operator,
      application.districtCode,
      application.id,
      ifMatch,
      JSON.stringify(metadata),
      upload.path,
      metadata.fileName,
    );
    return applicationOf(answer, response);
  }

  @Post(':applicationId/handover')
  @HttpCode(200)
  @RequireRole('operator')
  async handOver(
    @CurrentOperator() operator: OperatorPrincipal,
    @ContractPath('operator-api.handOverAtDesk') { applicationId }: { applicationId: string },
    @Headers('if-match') ifMatch: string | undefined,
    @ContractBody('operator-api.handOverAtDesk') body: OperatorHandOverRequest,
    @Res({ passthrough: true }) response: Response,
  ): Promise<Application> {
    const application = await this.applications.getApplicationForOperator(operator, applicationId);
    const answer = await this.applications.handOverAsOperator(
      operator,
      application.districtCode,
      application.id,
      ifMatch,
      { ...body, handedOverBy: operator.username },
    );
    return applicationOf(answer, response);
  }
}

/** The applications service's answer as this route's: the application with its ETag, or its problem (audited with its code). */
function applicationOf(answer: StoredAnswer, response: Response): Application {
  if (answer.status >= 400) throw upstreamProblem(answer.status, answer.body);
  for (const [name, value] of Object.entries(answer.headers)) response.setHeader(name, value);
  return answer.body as Application;
}
