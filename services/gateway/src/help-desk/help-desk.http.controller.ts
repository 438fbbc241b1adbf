import {
  Controller,
  Get,
  Headers,
  Post,
  Req,
  Res,
  UploadedFile,
  UseGuards,
  UseInterceptors,
  Body,
} from '@nestjs/common';
import type { Request, Response } from 'express';
import type { ApplicationPage, OperatorApi } from '@umg/contracts';
import { ContractBody, ContractPath, ContractQuery } from '@umg/platform';
import { ApplicationsClient } from '../applications/applications.client';
import { checkedResultUpload, ResultUploadInterceptor } from '../applications/result-upload';
import { ResultUploadSlotsGuard } from '../applications/result-upload-slots.guard';
import type { StoredUpload } from '../applications/result-upload-storage';
import { sendAnswer } from '../applications/send-answer';
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
  @RequireRole('operator')
  @UseGuards(ResultUploadSlotsGuard)
  @UseInterceptors(ResultUploadInterceptor())
  async replaceResult(
    @CurrentOperator() operator: OperatorPrincipal,
    @ContractPath('operator-api.replaceResult') { applicationId }: { applicationId: string },
    @Headers('if-match') ifMatch: string | undefined,
    @UploadedFile() document: StoredUpload | undefined,
    @Body('metadata') metadataText: unknown,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
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
    sendAnswer(request, response, answer);
  }

  @Post(':applicationId/handover')
  @RequireRole('operator')
  async handOver(
    @CurrentOperator() operator: OperatorPrincipal,
    @ContractPath('operator-api.handOverAtDesk') { applicationId }: { applicationId: string },
    @Headers('if-match') ifMatch: string | undefined,
    @ContractBody('operator-api.handOverAtDesk') body: OperatorHandOverRequest,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    const application = await this.applications.getApplicationForOperator(operator, applicationId);
    const answer = await this.applications.handOverAsOperator(
      operator,
      application.districtCode,
      application.id,
      ifMatch,
      {
        ...body,
        handedOverBy: operator.username,
      },
    );
    sendAnswer(request, response, answer);
  }
}
