import { CallableBy } from '@umg/platform';
import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { type DeskPaymentRequest, SchemaValidator } from '@umg/contracts';
import { PaymentError, PaymentErrorCode } from '../payment-error';
import { type PaymentRequestView, toPaymentRequestView } from '../read/payment-request.mapper';
import { DeskPaymentService } from './desk-payment.service';

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** recordDeskPayment: the gateway forwards a district's desk payment, scoped to that district. */
@Controller('internal/v1/districts/:districtCode/applications/:applicationId/desk-payment')
@CallableBy('gateway')
export class DeskPaymentHttpController {
  constructor(
    private readonly deskPayment: DeskPaymentService,
    private readonly validator: SchemaValidator,
  ) {}

  @Post()
  @HttpCode(202)
  async record(
    @Param('districtCode') districtCode: string,
    @Param('applicationId') applicationId: string,
    @Body() body: unknown,
  ): Promise<PaymentRequestView> {
    if (!uuidPattern.test(applicationId)) {
      throw new PaymentError(PaymentErrorCode.ValidationFailed, 'applicationId: expected a UUID');
    }
    const result = this.validator.validate<DeskPaymentRequest>('DeskPaymentRequest', body);
    if (!result.ok) {
      throw new PaymentError(PaymentErrorCode.ValidationFailed, JSON.stringify(result.errors).slice(0, 500));
    }
    return toPaymentRequestView(await this.deskPayment.record(districtCode, applicationId, result.value));
  }
}
