import {
  Body,
  Controller,
  Headers,
  Param,
  Post,
  Req,
  Res,
  UploadedFile,
  UseGuards,
  UseInterceptors,
} from '@nestjs/common';
import type { Request, Response } from 'express';
import type { ContractOperation } from '@umg/contracts';
import { contractInput } from '@umg/platform';
import { DistrictRateLimitGuard } from '../abuse/district-rate-limit.guard';
import { CurrentDistrict } from '../auth/current-district.decorator';
import { DistrictAuthGuard } from '../auth/district-auth.guard';
import { RequireScope } from '../auth/district-scope';
import type { DistrictPrincipal } from '../auth/district-principal';
import { IdempotentCommands } from '../idempotency/idempotent-commands';
import { ApplicationsClient, type DecisionBody } from './applications.client';
import { ResultUploadSlotsGuard } from './result-upload-slots.guard';
import { checkedResultUpload, ResultUploadInterceptor } from './result-upload';
import type { StoredUpload } from './result-upload-storage';
import { sendAnswer } from './send-answer';
import { InternetFacing } from '@umg/platform';

const decisions = {
  registration: {
    operation: 'district-api.registerApplication',
    path: '/internal/v1/districts/{districtCode}/applications/{applicationId}/registration',
  },
  'return-for-corrections': {
    operation: 'district-api.returnApplicationForCorrections',
    path: '/internal/v1/districts/{districtCode}/applications/{applicationId}/return-for-corrections',
  },
  refusal: {
    operation: 'district-api.refuseApplication',
    path: '/internal/v1/districts/{districtCode}/applications/{applicationId}/refusal',
  },
  processing: {
    operation: 'district-api.startProcessing',
    path: '/internal/v1/districts/{districtCode}/applications/{applicationId}/processing',
  },
  'payment-request': {
    operation: 'district-api.requestPaymentAgain',
    path: '/internal/v1/districts/{districtCode}/applications/{applicationId}/payment-request',
  },
  handover: {
    operation: 'district-api.handOverAtDesk',
    path: '/internal/v1/districts/{districtCode}/applications/{applicationId}/handover',
  },
} as const satisfies Record<string, { operation: ContractOperation; path: string }>;

type DecisionName = keyof typeof decisions;

/**
 * The district API's state changes: validated against the contract at the edge, made idempotent
 * by `Idempotency-Key`, and carried out by the applications service with the district's `If-Match`.
 */
@InternetFacing()
@Controller('v1/applications/:applicationId')
@UseGuards(DistrictAuthGuard, DistrictRateLimitGuard)
export class DistrictDecisionsHttpController {
  constructor(
    private readonly applications: ApplicationsClient,
    private readonly idempotency: IdempotentCommands,
  ) {}

  @Post('registration')
  @RequireScope('applications:write')
  register(
    @CurrentDistrict() district: DistrictPrincipal,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    return this.decide('registration', district, request, response);
  }

  @Post('return-for-corrections')
  @RequireScope('applications:write')
  returnForCorrections(
    @CurrentDistrict() district: DistrictPrincipal,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    return this.decide('return-for-corrections', district, request, response);
  }

  @Post('refusal')
  @RequireScope('applications:write')
  refuse(
    @CurrentDistrict() district: DistrictPrincipal,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    return this.decide('refusal', district, request, response);
  }

  @Post('processing')
  @RequireScope('applications:write')
  startProcessing(
    @CurrentDistrict() district: DistrictPrincipal,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    return this.decide('processing', district, request, response);
  }

  @Post('payment-request')
  @RequireScope('applications:write')
  requestPaymentAgain(
    @CurrentDistrict() district: DistrictPrincipal,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    return this.decide('payment-request', district, request, response);
  }

  @Post('handover')
  @RequireScope('applications:write')
  handOver(
    @CurrentDistrict() district: DistrictPrincipal,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    return this.decide('handover', district, request, response);
  }

  private async decide(
    decision: DecisionName,
    district: DistrictPrincipal,
    request: Request,
    response: Response,
  ): Promise<void> {
    const { operation, path } = decisions[decision];
    const ifMatch = request.header('if-match');
    const valid = contractInput<DecisionBody>(operation, 'body', request.body);
    const fingerprint = IdempotentCommands.fingerprint(request.path, JSON.stringify(valid), ifMatch ?? '');
    const answer = await this.idempotency.execute(district, request.header('idempotency-key'), fingerprint, () =>
      this.applications.decide(path, district, String(request.params.applicationId), ifMatch, valid),
    );
    sendAnswer(request, response, answer);
  }

  @Post('result')
  @RequireScope('applications:write')
  @UseGuards(ResultUploadSlotsGuard)
  @UseInterceptors(ResultUploadInterceptor())
  async submitResult(
    @CurrentDistrict() district: DistrictPrincipal,
    @Param('applicationId') applicationId: string,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Headers('if-match') ifMatch: string | undefined,
    @UploadedFile() document: StoredUpload | undefined,
    @Body('metadata') metadataText: unknown,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    const { metadata, upload } = checkedResultUpload(metadataText, document);
    const fingerprint = IdempotentCommands.fingerprint(
      request.path,
      JSON.stringify(metadata),
      ifMatch ?? '',
      upload.sha256,
    );
    const answer = await this.idempotency.execute(district, idempotencyKey, fingerprint, () =>
      this.applications.submitResult(
        district,
        applicationId,
        ifMatch,
        JSON.stringify(metadata),
        upload.path,
        metadata.fileName,
      ),
    );
    sendAnswer(request, response, answer);
  }
}
