import { CallableBy } from '@umg/platform';
import { Controller, Get, Param } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { PaymentError, PaymentErrorCode } from '../payment-error';
import { PaymentRequests } from '../payment-request/payment-requests';
import { toPaymentRequestView, type PaymentRequestView } from './payment-request.mapper';

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The payment requests of one application, for the district's view of it. */
@Controller('internal/v1/applications/:applicationId/payment-requests')
@CallableBy('gateway')
export class ListPaymentRequestsHttpController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly requests: PaymentRequests,
  ) {}

  @Get()
  async list(@Param('applicationId') applicationId: string): Promise<{ items: PaymentRequestView[] }> {
    if (!uuidPattern.test(applicationId)) {
      throw new PaymentError(PaymentErrorCode.ValidationFailed, 'applicationId: expected a UUID');
    }
    const requests = await this.requests.ofApplication(this.dataSource.manager, applicationId);
    return { items: requests.map(toPaymentRequestView) };
  }
}
