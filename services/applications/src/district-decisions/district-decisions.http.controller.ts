import { Body, Controller, HttpCode, Param, Post, Req, Res, UploadedFile, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import type { Response } from 'express';
import type {
  Application,
  HandOverRequest,
  RefuseApplicationRequest,
  RegisterApplicationRequest,
  RequestPaymentAgainRequest,
  ResultMetadata,
  ReturnForCorrectionsRequest,
  StartProcessingRequest,
} from '@umg/contracts';
import { CallableBy, ContractBody, contractValue, type RequestWithCaller } from '@umg/platform';
import { districtScope, type DistrictScope } from '../application/district-scope';
import { ApplicationError, ApplicationErrorCode } from '../lifecycle/application-error';
import type { Actor } from '../lifecycle/application-status';
import { decisionActor } from '../lifecycle/district-actor';
import { expectedVersionFrom } from '../lifecycle/expected-version';
import { HandOverAtDeskService } from './hand-over-at-desk.service';
import { RefuseApplicationService } from './refuse-application.service';
import { RegisterApplicationService } from './register-application.service';
import { RequestPaymentAgainService } from './request-payment-again.service';
import { RESULT_DOCUMENT_MAX_BYTES } from '@umg/contracts';
import { ReturnForCorrectionsService } from './return-for-corrections.service';
import { StartProcessingService } from './start-processing.service';
import { SubmitResultService } from './submit-result.service';

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
    private readonly registration: RegisterApplicationService,
    private readonly returns: ReturnForCorrectionsService,
    private readonly refusals: RefuseApplicationService,
    private readonly processing: StartProcessingService,
    private readonly results: SubmitResultService,
    private readonly paymentAgain: RequestPaymentAgainService,
    private readonly handovers: HandOverAtDeskService,
  ) {}

  @Post('registration')
  @HttpCode(200)
  register(
    @Param('districtCode') districtCode: string,
    @Param('applicationId') applicationId: string,
    @Req() request: RequestWithCaller,
    @ContractBody('applications-internal.registerApplication') body: RegisterApplicationRequest,
    @Res({ passthrough: true }) response: Response,
  ): Promise<Application> {
    return this.decide(districtCode, applicationId, request, response, (c) =>
      this.registration.register(c.scope, c.applicationId, c.expectedVersion, c.actor, body),
    );
  }

  @Post('return-for-corrections')
  @HttpCode(200)
  returnForCorrections(
    @Param('districtCode') districtCode: string,
    @Param('applicationId') applicationId: string,
    @Req() request: RequestWithCaller,
    @ContractBody('applications-internal.returnApplicationForCorrections') body: ReturnForCorrectionsRequest,
    @Res({ passthrough: true }) response: Response,
  ): Promise<Application> {
    return this.decide(districtCode, applicationId, request, response, (c) =>
      this.returns.returnForCorrections(c.scope, c.applicationId, c.expectedVersion, c.actor, body),
    );
  }

  @Post('refusal')
  @HttpCode(200)
  refuse(
    @Param('districtCode') districtCode: string,
    @Param('applicationId') applicationId: string,
    @Req() request: RequestWithCaller,
    @ContractBody('applications-internal.refuseApplication') body: RefuseApplicationRequest,
    @Res({ passthrough: true }) response: Response,
  ): Promise<Application> {
    return this.decide(districtCode, applicationId, request, response, (c) =>
      this.refusals.refuse(c.scope, c.applicationId, c.expectedVersion, c.actor, body),
    );
  }

  @Post('processing')
  @HttpCode(200)
  startProcessing(
    @Param('districtCode') districtCode: string,
    @Param('applicationId') applicationId: string,
    @Req() request: RequestWithCaller,
    @ContractBody('applications-internal.startProcessing') body: StartProcessingRequest,
    @Res({ passthrough: true }) response: Response,
  ): Promise<Application> {
    return this.decide(districtCode, applicationId, request, response, (c) =>
      this.processing.start(c.scope, c.applicationId, c.expectedVersion, c.actor, body),
    );
  }

  @Post('payment-request')
  @HttpCode(200)
  requestPaymentAgain(
    @Param('districtCode') districtCode: string,
    @Param('applicationId') applicationId: string,
    @Req() request: RequestWithCaller,
    @ContractBody('applications-internal.requestPaymentAgain') body: RequestPaymentAgainRequest,
    @Res({ passthrough: true }) response: Response,
  ): Promise<Application> {
    return this.decide(districtCode, applicationId, request, response, (c) =>
      this.paymentAgain.requestAgain(c.scope, c.applicationId, c.expectedVersion, c.actor, body),
    );
  }

  @Post('handover')
  @HttpCode(200)
  handOver(
    @Param('districtCode') districtCode: string,
    @Param('applicationId') applicationId: string,
    @Req() request: RequestWithCaller,
    @ContractBody('applications-internal.handOverAtDesk') body: HandOverRequest,
    @Res({ passthrough: true }) response: Response,
  ): Promise<Application> {
    return this.decide(districtCode, applicationId, request, response, (c) =>
      this.handovers.handOver(c.scope, c.applicationId, c.expectedVersion, c.actor, body),
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
    const metadata = contractValue<ResultMetadata>('ResultMetadata', parseJson(metadataText));
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

  /** The frame of the JSON decisions (their bodies are checked by the contract pipe): scope, version, actor, ETag. */
  private async decide(
    districtCode: string,
    applicationId: string,
    request: RequestWithCaller,
    response: Response,
    run: (context: DecisionContext) => Promise<Application>,
  ): Promise<Application> {
    return withETag(response, await run(this.context(districtCode, applicationId, request)));
  }

  private context(districtCode: string, applicationId: string, request: RequestWithCaller): DecisionContext {
    const scope = districtScope(districtCode);
    if (!scope) throw new ApplicationError(ApplicationErrorCode.NotFound, `no application ${applicationId}`);
    return {
      scope,
      applicationId,
      expectedVersion: expectedVersionFrom(request.header('if-match')),
      // An operator acts only where the state machine lets one (a replacement result, a handover).
      actor: decisionActor(districtCode, request.serviceCaller),
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
