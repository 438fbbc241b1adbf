import { CallableBy, ContractBody, ContractPath } from '@umg/platform';
import { Controller, HttpCode, Post } from '@nestjs/common';
import type { DeskPaymentRequest } from '@umg/contracts';
import { type PaymentRequestView, toPaymentRequestView } from '../read/payment-request.mapper';
import { DeskPaymentService } from './desk-payment.service';

/** recordDeskPayment: the gateway forwards a district's desk payment, scoped to that district. */
@Controller('internal/v1/districts/:districtCode/applications/:applicationId/desk-payment')
@CallableBy('gateway')
export class DeskPaymentHttpController {
  constructor(private readonly deskPayment: DeskPaymentService) {}

  @Post()
  @HttpCode(202)
  async record(
    @ContractPath('payments-internal.recordDeskPayment') path: { districtCode: string; applicationId: string },
    @ContractBody('payments-internal.recordDeskPayment') body: DeskPaymentRequest,
  ): Promise<PaymentRequestView> {
    return toPaymentRequestView(await this.deskPayment.record(path.districtCode, path.applicationId, body));
  }
}
