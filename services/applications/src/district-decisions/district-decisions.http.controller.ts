import { Body, Controller, HttpCode, Param, Post, Req, Res, UploadedFile, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import type { Response } from 'express';
import {
  type Application,
  type RefuseApplicationRequest,
  type RegisterApplicationRequest,
  type RequestPaymentAgainRequest,
  type ResultMetadata,
  type ReturnForCorrectionsRequest,
  type SchemaName,
  SchemaValidator,
  type StartProcessingRequest,
} from '@umg/contracts';
import { districtScope, type DistrictScope } from '../application/district-scope';
import { ApplicationError, ApplicationErrorCode } from '../lifecycle/application-error';
import type { Actor } from '../lifecycle/application-status';
import { districtActor } from '../lifecycle/district-actor';
import { CallableBy, type RequestWithCaller } from '@umg/platform';
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
  applicationId: string;
  expectedVersion: number;
  actor: Actor;
}

/**
 * Internal API of the district decisions, called by the gateway after authentication and
 * idempotency: thin, it parses the transport and calls the use cases.
 */
@Controller('internal/v1/districts/:districtCode/applications/:applicationId')
@CallableBy('gateway')
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
  register(@Req() request: RequestWithCaller, @Res({ passthrough: true }) response: Response): Promise<Application> {
    return this.decide<RegisterApplicationRequest>(request, response, 'RegisterApplicationRequest', (c, body) =>
      this.registration.register(c.scope, c.applicationId, c.expectedVersion, c.actor, body),
    );
  }

  @Post('return-for-corrections')
  @HttpCode(200)
  returnForCorrections(
    @Req() request: RequestWithCaller,
    @Res({ passthrough: true }) response: Response,
  ): Promise<Application> {
    return this.decide<ReturnForCorrectionsRequest>(request, response, 'ReturnForCorrectionsRequest', (c, body) =>
      this.returns.returnForCorrections(c.scope, c.applicationId, c.expectedVersion, c.actor, body),
    );
  }

  @Post('refusal')
  @HttpCode(200)
  refuse(@Req() request: RequestWithCaller, @Res({ passthrough: true }) response: Response): Promise<Application> {
    return this.decide<RefuseApplicationRequest>(request, response, 'RefuseApplicationRequest', (c, body) =>
      this.refusals.refuse(c.scope, c.applicationId, c.expectedVersion, c.actor, body),
    );
  }

  @Post('processing')
  @HttpCode(200)
  startProcessing(
    @Req() request: RequestWithCaller,
    @Res({ passthrough: true }) response: Response,
  ): Promise<Application> {
    return this.decide<StartProcessingRequest>(request, response, 'StartProcessingRequest', (c, body) =>
      this.processing.start(c.scope, c.applicationId, c.expectedVersion, c.actor, body),
    );
  }

  @Post('payment-request')
  @HttpCode(200)
  requestPaymentAgain(
    @Req() request: RequestWithCaller,
    @Res({ passthrough: true }) response: Response,
  ): Promise<Application> {
    return this.decide<RequestPaymentAgainRequest>(request, response, 'RequestPaymentAgainRequest', (c, body) =>
      this.paymentAgain.requestAgain(c.scope, c.applicationId, c.expectedVersion, c.actor, body),
    );
  }

  @Post('result')
  @HttpCode(200)
  @UseInterceptors(FileInterceptor('document', { limits: { fileSize: RESULT_DOCUMENT_MAX_BYTES, files: 1 } }))
  async submitResult(
    @Param('districtCode') districtCode: string,
    @Param('applicationId') applicationId: string,
    @Req() request: RequestWithCaller,
    @UploadedFile() document: UploadedDocument | undefined,
    @Body('metadata') metadataText: unknown,
    @Res({ passthrough: true }) response: Response,
  ): Promise<Application> {
    const context = this.context(districtCode, applicationId, request);
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

  /** The frame of the JSON decisions: scope, version and actor from the transport, body checked, ETag set. */
  private async decide<T>(
    request: RequestWithCaller,
    response: Response,
    schema: SchemaName,
    run: (context: DecisionContext, body: T) => Promise<Application>,
  ): Promise<Application> {
    const applicationId = String(request.params.applicationId);
    const context = this.context(String(request.params.districtCode), applicationId, request);
    const body = validBody<T>(this.validator, schema, request.body ?? {});
    return withETag(response, await run(context, body));
  }

  private context(districtCode: string, applicationId: string, request: RequestWithCaller): DecisionContext {
    const scope = districtScope(districtCode);
    if (!scope) throw new ApplicationError(ApplicationErrorCode.NotFound, `no application ${applicationId}`);
    return {
      scope,
      applicationId,
      expectedVersion: expectedVersionFrom(request.header('if-match')),
      actor: districtActor(districtCode, request.serviceCaller?.actor),
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
