import { Body, Controller, HttpCode, Param, Post, Req, type RawBodyRequest } from '@nestjs/common';
import type { z } from 'zod';
import { ProblemException } from '@umg/problem';
import type { Request } from 'express';
import { DataSource } from 'typeorm';
import type { DistrictsInternal } from '@umg/contracts';
import type { Logger } from '@umg/logging';
import { PublicCallback, contractInput } from '@umg/platform';
import { InjectLogger } from '../inject-logger';
import { DistrictError, DistrictErrorCode } from '../district/district-error';
import { DistrictRepository } from '../district/district.repository';
import { PushFailure } from './back-office-answer';
import { BackOfficeDecisions } from './back-office-decisions';
import { AnsweredDocuments } from './answered-documents';
import { gatewayAnswerSchema, toBackOfficeAnswer } from './mappings/answered-result';
import { SignatureHeaders, verifySignature } from './hmac-signature';
import { DistrictSecretStore } from '../secrets/district-secret-store';

type ContractAnswer = DistrictsInternal.components['schemas']['BackOfficeAnswer'];

function fieldErrors(error: z.ZodError) {
  return error.issues.slice(0, 20).map((issue) => ({
    field: issue.path.join('.') || 'body',
    code: 'invalid',
    message: issue.message,
  }));
}

/**
 * receiveBackOfficeDecision: a push district's back office answers later. The HMAC over the raw
 * body with the district's secret is the proof of origin; the answer is published as a decision.
 * Served only on the callback listener (DISTRICTS_CALLBACK_PORT).
 */
@PublicCallback()
@Controller('back-office/:districtCode/decisions')
export class ReceiveDecisionHttpController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly districts: DistrictRepository,
    private readonly decisions: BackOfficeDecisions,
    private readonly documents: AnsweredDocuments,
    private readonly secrets: DistrictSecretStore,
    @InjectLogger() private readonly logger: Logger,
  ) {}

  @Post()
  @HttpCode(202)
  async receive(
    @Param('districtCode') code: string,
    @Req() request: RawBodyRequest<Request>,
    @Body() body: unknown,
  ): Promise<void> {
    await this.districts.get(this.dataSource.manager, code);
    // The current secret, or the previous one during its grace period after a rotation.
    const rawBody = request.rawBody;
    const signed =
      rawBody !== undefined &&
      (await this.secrets.verifying(code)).some((secret) =>
        verifySignature(
          secret,
          request.header(SignatureHeaders.timestamp),
          request.header(SignatureHeaders.signature),
          rawBody,
        ),
      );
    if (!signed)
      throw new DistrictError(
        DistrictErrorCode.SignatureInvalid,
        'the answer is not signed with the district’s secret',
      );
    // Checked only once the signature proves who sent it.
    const { applicationId, ...contractAnswer } = contractInput<ContractAnswer>(
      'districts-internal.receiveBackOfficeDecision',
      'body',
      body,
    );
    const parsed = gatewayAnswerSchema.safeParse({
      ...contractAnswer,
      decision: contractAnswer.decision === 'submit_result' ? undefined : contractAnswer.decision,
    });
    if (!parsed.success) {
      throw new DistrictError(DistrictErrorCode.ValidationFailed, 'the answer is not valid', fieldErrors(parsed.error));
    }
    const answer = toBackOfficeAnswer(parsed.data);
    let decision;
    let document;
    try {
      decision = this.decisions.decisionOf(applicationId, code, answer);
      if (!decision && !answer.result) {
        throw new PushFailure('a submit_result answer without its result', true);
      }
      document = answer.result ? await this.documents.obtain(answer.result) : undefined;
    } catch (error) {
      if (error instanceof PushFailure) {
        // A document the back office may offer again later (its server was down): 503, not its fault.
        if (!error.permanent) {
          throw new ProblemException(
            503,
            'document_unavailable',
            'The referenced document could not be fetched',
            error.message,
          );
        }
        throw new DistrictError(DistrictErrorCode.ValidationFailed, error.message);
      }
      throw error;
    }
    await this.dataSource.transaction(async (manager) => {
      if (decision) await this.decisions.publish(manager, decision);
      if (document) {
        const documentId = await this.documents.store(
          manager,
          code,
          applicationId,
          answer.backOfficeReference,
          document,
        );
        await this.decisions.publish(
          manager,
          this.decisions.resultDecisionOf(applicationId, code, answer, document, documentId),
        );
      }
    });
    this.logger.info(
      { districtCode: code, applicationId, decision: contractAnswer.decision, result: Boolean(document) },
      'back-office answer received',
    );
  }
}
