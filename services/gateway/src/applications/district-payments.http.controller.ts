import { Controller, Get, Param, Post, Req, Res, UseGuards } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { DeskPaymentRequest } from '@umg/contracts';
import { ContractBody } from '@umg/platform';
import { DistrictRateLimitGuard } from '../abuse/district-rate-limit.guard';
import { CurrentDistrict } from '../auth/current-district.decorator';
import { DistrictAuthGuard } from '../auth/district-auth.guard';
import { RequireScope } from '../auth/district-scope';
import type { DistrictPrincipal } from '../auth/district-principal';
import { IdempotentCommands } from '../idempotency/idempotent-commands';
import { ApplicationsClient } from './applications.client';
import { PaymentsClient, type PaymentRequestList } from './payments.client';
import { sendAnswer } from './send-answer';
import { InternetFacing } from '@umg/platform';

/** The district's view of an application's fee, and a fee paid at its desk. */
@InternetFacing()
@Controller('v1/applications/:applicationId')
@UseGuards(DistrictAuthGuard, DistrictRateLimitGuard)
export class DistrictPaymentsHttpController {
  constructor(
    private readonly applications: ApplicationsClient,
    private readonly payments: PaymentsClient,
    private readonly idempotency: IdempotentCommands,
  ) {}

  @Get('payment-requests')
  @RequireScope('applications:read')
  async paymentRequests(
    @CurrentDistrict() district: DistrictPrincipal,
    @Param('applicationId') applicationId: string,
  ): Promise<PaymentRequestList> {
    // Found in the caller's district first: the payments read itself is not scoped.
    const application = await this.applications.getApplication(district, applicationId);
    return this.payments.paymentRequestsOf(application.id);
  }

  @Post('desk-payment')
  @RequireScope('applications:write')
  async deskPayment(
    @CurrentDistrict() district: DistrictPrincipal,
    @Param('applicationId') applicationId: string,
    @ContractBody('district-api.recordDeskPayment') valid: DeskPaymentRequest,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    const application = await this.applications.getApplication(district, applicationId);
    const fingerprint = IdempotentCommands.fingerprint(request.path, JSON.stringify(valid));
    const answer = await this.idempotency.execute(district, request.header('idempotency-key'), fingerprint, () =>
      this.payments.recordDeskPayment(district.districtCode, application.id, valid),
    );
    sendAnswer(request, response, answer);
  }
}
