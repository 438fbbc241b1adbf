import { Body, Controller, HttpCode, Param, Post, Req, type RawBodyRequest } from '@nestjs/common';
import type { Request } from 'express';
import { DataSource } from 'typeorm';
import type { DistrictsInternal } from '@umg/contracts';
import type { Logger } from '@umg/logging';
import { PublicCallback, contractInput } from '@umg/platform';
import { InjectLogger } from '../inject-logger';
import { DistrictError, DistrictErrorCode } from '../district/district-error';
import { DistrictRepository } from '../district/district.repository';
import { DeliveryFailure } from './back-office-answer';
import { BackOfficeDecisions } from './back-office-decisions';
import { SignatureHeaders, verifySignature } from './hmac-signature';
import { DistrictSecretStore } from '../secrets/district-secret-store';

type BackOfficeAnswer = DistrictsInternal.components['schemas']['BackOfficeAnswer'];

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
    const answer = contractInput<BackOfficeAnswer>('districts-internal.receiveBackOfficeDecision', 'body', body);
    let decision;
    try {
      decision = this.decisions.decisionOf(answer.applicationId, code, answer);
    } catch (error) {
      if (error instanceof DeliveryFailure) throw new DistrictError(DistrictErrorCode.ValidationFailed, error.message);
      throw error;
    }
    await this.dataSource.transaction((manager) => this.decisions.publish(manager, decision!));
    this.logger.info(
      { districtCode: code, applicationId: answer.applicationId, decision: answer.decision },
      'back-office answer received',
    );
  }
}
