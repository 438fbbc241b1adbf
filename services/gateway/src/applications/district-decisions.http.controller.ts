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
import { FileInterceptor } from '@nestjs/platform-express';
import type { Request, Response } from 'express';
import { type ContractOperation, exceedsJsonStructures, type ResultMetadata } from '@umg/contracts';
import { contractInput, contractValue } from '@umg/platform';
import { ProblemException } from '@umg/problem';
import { DistrictRateLimitGuard } from '../abuse/district-rate-limit.guard';
import { CurrentDistrict } from '../auth/current-district.decorator';
import { DistrictAuthGuard } from '../auth/district-auth.guard';
import { RequireScope } from '../auth/district-scope';
import type { DistrictPrincipal } from '../auth/district-principal';
import { IdempotentCommands } from '../idempotency/idempotent-commands';
import { ApplicationsClient, type DecisionBody } from './applications.client';
import { ResultUploadSlotsGuard } from './result-upload-slots.guard';
import { ResultUploadStorage, type StoredUpload } from './result-upload-storage';
import { sendAnswer } from './send-answer';
import { InternetFacing } from '@umg/platform';

const RESULT_MAX_BYTES = 10 * 1024 * 1024;
const resultMediaTypes = new Set([
  'application/pdf',
  'application/xml',
  'image/png',
  'image/jpeg',
  'application/pkcs7-mime',
]);

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
  @UseInterceptors(
    // Streamed to a private temp file and hashed on the way (never held in memory); the metadata
    // field is a small JSON object: 64 KiB is far more than it needs.
    FileInterceptor('document', {
      storage: new ResultUploadStorage(),
      limits: { fileSize: RESULT_MAX_BYTES, files: 1, fields: 4, fieldSize: 64 * 1024 },
    }),
  )
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
    const parsed = parseMetadata(metadataText);
    const mediaType = (parsed as { mediaType?: unknown } | undefined)?.mediaType;
    // A type outside the allow-list is a 415, whatever else is wrong with the metadata.
    if (typeof mediaType === 'string' && !resultMediaTypes.has(mediaType)) {
      throw new ProblemException(
        415,
        'unsupported_media_type',
        'Media type not allowed',
        `${mediaType} is not accepted`,
      );
    }
    const metadata = contractValue<ResultMetadata>('ResultMetadata', parsed);
    if (!document) {
      throw new ProblemException(400, 'validation_failed', 'The request is not valid', 'the document part is missing', [
        { field: 'document', code: 'required', message: 'attach the file as the "document" part' },
      ]);
    }
    checkDocument(metadata, document);
    const fingerprint = IdempotentCommands.fingerprint(
      request.path,
      JSON.stringify(metadata),
      ifMatch ?? '',
      document.sha256,
    );
    const answer = await this.idempotency.execute(district, idempotencyKey, fingerprint, () =>
      this.applications.submitResult(
        district,
        applicationId,
        ifMatch,
        JSON.stringify(metadata),
        document.path,
        metadata.fileName,
      ),
    );
    sendAnswer(request, response, answer);
  }
}

function parseMetadata(text: unknown): unknown {
  if (typeof text === 'string' && exceedsJsonStructures(Buffer.from(text))) {
    throw new ProblemException(413, 'payload_too_complex', 'The request body holds too many values');
  }
  try {
    return typeof text === 'string' ? JSON.parse(text) : undefined;
  } catch {
    return undefined;
  }
}

/** The edge check of a result document's declared SHA-256, computed as it streamed in (size is capped by the upload limit). */
function checkDocument(metadata: ResultMetadata, document: StoredUpload): void {
  const digest = document.sha256;
  if (digest !== metadata.sha256.toLowerCase()) {
    throw new ProblemException(422, 'sha256_mismatch', 'SHA-256 mismatch', `the document's SHA-256 is ${digest}`);
  }
}
