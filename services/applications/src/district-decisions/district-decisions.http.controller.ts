import { Body, Controller, Headers, HttpCode, Param, Post, Res, UploadedFile, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import type { Response } from 'express';
import {
  type Application,
  type RefuseApplicationRequest,
  type RegisterApplicationRequest,
  type RequestPaymentAgainRequest,
  type ResultMetadata,
  type ReturnForCorrectionsRequest,
  SchemaValidator,
  type StartProcessingRequest,
} from '@umg/contracts';
import { districtScope, type DistrictScope } from '../application/district-scope';
import { ApplicationError, ApplicationErrorCode } from '../lifecycle/application-error';
import type { Actor } from '../lifecycle/application-status';
import { districtActor } from '../lifecycle/district-actor';
import { expectedVersionFrom } from '../lifecycle/expected-version';
import { RefuseApplicationService } from './refuse-application.service';
import { RegisterApplicationService } from './register-application.service';
import { RequestPaymentAgainService } from './request-payment-again.service';
import { RESULT_DOCUMENT_MAX_BYTES } from './result-document';
import { ReturnForCorrectionsService } from './return-for-corrections.service';
import { StartProcessingService } from './start-processing.service';
import { SubmitResultService } from './submit-result.service';
import { validBody } from './valid-body';

interface UploadedDocument {
  buffer: Buffer;
}

interface DecisionContext {
  scope: DistrictScope;
  expectedVersion: number;
  actor: Actor;
}

/**
 * Internal API of the district decisions, called by the gateway after authentication and
 * idempotency: thin, it parses the transport and calls the use cases.
 */
@Controller('internal/v1/districts/:districtCode/applications/:applicationId')
export class DistrictDecisionsHttpController {
  constructor(
    private readonly validator: SchemaValidator,
    private readonly registration: RegisterApplicationService,
    private readonly returns: ReturnForCorrectionsService,
    private readonly refusals: RefuseApplicationService,
    private readonly processing: StartProcessingService,
    private readonly results: SubmitResultService,
    private readonly paymentAgain: RequestPaymentAgainService,
  ) {}

  @Post('registration')
  @HttpCode(200)
  async register(
    @Param('districtCode') districtCode: string,
    @Param('applicationId') applicationId: string,
    @Headers() headers: Record<string, string | undefined>,
    @Body() body: unknown,
    @Res({ passthrough: true }) response: Response,
  ): Promise<Application> {
    const context = this.context(districtCode, applicationId, headers);
    const request = validBody<RegisterApplicationRequest>(this.validator, 'RegisterApplicationRequest', body);
    return withETag(
      response,
      await this.registration.register(context.scope, applicationId, context.expectedVersion, context.actor, request),
    );
  }

  @Post('return-for-corrections')
  @HttpCode(200)
  async returnForCorrections(
    @Param('districtCode') districtCode: string,
    @Param('applicationId') applicationId: string,
    @Headers() headers: Record<string, string | undefined>,
    @Body() body: unknown,
    @Res({ passthrough: true }) response: Response,
  ): Promise<Application> {
    const context = this.context(districtCode, applicationId, headers);
    const request = validBody<ReturnForCorrectionsRequest>(this.validator, 'ReturnForCorrectionsRequest', body);
    return withETag(
      response,
      await this.returns.returnForCorrections(
        context.scope,
        applicationId,
        context.expectedVersion,
        context.actor,
        request,
      ),
    );
  }

  @Post('refusal')
  @HttpCode(200)
  async refuse(
    @Param('districtCode') districtCode: string,
    @Param('applicationId') applicationId: string,
    @Headers() headers: Record<string, string | undefined>,
    @Body() body: unknown,
    @Res({ passthrough: true }) response: Response,
  ): Promise<Application> {
    const context = this.context(districtCode, applicationId, headers);
    const request = validBody<RefuseApplicationRequest>(this.validator, 'RefuseApplicationRequest', body);
    return withETag(
      response,
      await this.refusals.refuse(context.scope, applicationId, context.expectedVersion, context.actor, request),
    );
  }

  @Post('processing')
  @HttpCode(200)
  async startProcessing(
    @Param('districtCode') districtCode: string,
    @Param('applicationId') applicationId: string,
    @Headers() headers: Record<string, string | undefined>,
    @Body() body: unknown,
    @Res({ passthrough: true }) response: Response,
  ): Promise<Application> {
    const context = this.context(districtCode, applicationId, headers);
    const request = validBody<StartProcessingRequest>(this.validator, 'StartProcessingRequest', body ?? {});
    return withETag(
      response,
      await this.processing.start(context.scope, applicationId, context.expectedVersion, context.actor, request),
    );
  }

  @Post('payment-request')
  @HttpCode(200)
  async requestPaymentAgain(
    @Param('districtCode') districtCode: string,
    @Param('applicationId') applicationId: string,
    @Headers() headers: Record<string, string | undefined>,
    @Body() body: unknown,
    @Res({ passthrough: true }) response: Response,
  ): Promise<Application> {
    const context = this.context(districtCode, applicationId, headers);
    const request = validBody<RequestPaymentAgainRequest>(this.validator, 'RequestPaymentAgainRequest', body ?? {});
    return withETag(
      response,
      await this.paymentAgain.requestAgain(
        context.scope,
        applicationId,
        context.expectedVersion,
        context.actor,
        request,
      ),
    );
  }

  @Post('result')
  @HttpCode(200)
  @UseInterceptors(FileInterceptor('document', { limits: { fileSize: RESULT_DOCUMENT_MAX_BYTES, files: 1 } }))
  async submitResult(
    @Param('districtCode') districtCode: string,
    @Param('applicationId') applicationId: string,
    @Headers() headers: Record<string, string | undefined>,
    @UploadedFile() document: UploadedDocument | undefined,
    @Body('metadata') metadataText: unknown,
    @Res({ passthrough: true }) response: Response,
  ): Promise<Application> {
    const context = this.context(districtCode, applicationId, headers);
    if (!document) {
      throw new ApplicationError(ApplicationErrorCode.ValidationFailed, 'the document part is missing', [
        { field: 'document', code: 'required', message: 'attach the document as the "document" part' },
      ]);
    }
    const metadata = validBody<ResultMetadata>(this.validator, 'ResultMetadata', parseJson(metadataText));
    return withETag(
      response,
      await this.results.submit(
        context.scope,
        applicationId,
        context.expectedVersion,
        context.actor,
        metadata,
        document.buffer,
      ),
    );
  }

  private context(
    districtCode: string,
    applicationId: string,
    headers: Record<string, string | undefined>,
  ): DecisionContext {
    const scope = districtScope(districtCode);
    if (!scope) throw new ApplicationError(ApplicationErrorCode.NotFound, `no application ${applicationId}`);
    return {
      scope,
      expectedVersion: expectedVersionFrom(headers['if-match']),
      actor: districtActor(districtCode, headers['x-actor-id']),
    };
  }
}

function withETag(response: Response, application: Application): Application {
  response.setHeader('ETag', `"${application.version}"`);
  return application;
}

function parseJson(text: unknown): unknown {
  if (typeof text !== 'string') {
    throw new ApplicationError(ApplicationErrorCode.ValidationFailed, 'the metadata part is missing', [
      { field: 'metadata', code: 'required', message: 'send ResultMetadata as JSON in the "metadata" part' },
    ]);
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new ApplicationError(ApplicationErrorCode.ValidationFailed, 'the metadata part is not JSON', [
      { field: 'metadata', code: 'invalid_type', message: 'not valid JSON' },
    ]);
  }
}
