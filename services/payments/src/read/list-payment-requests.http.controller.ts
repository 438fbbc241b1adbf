import { CallableBy } from '@umg/platform';
import { Controller, Get } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ContractPath } from '@umg/platform';
import { PaymentRequests } from '../payment-request/payment-requests';
import { toPaymentRequestView, type PaymentRequestView } from './payment-request.mapper';

/** The payment requests of one application, for the district's view of it. */
@Controller('internal/v1/applications/:applicationId/payment-requests')
@CallableBy('gateway')
export class ListPaymentRequestsHttpController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly requests: PaymentRequests,
  ) {}

  @Get()
  async list(
    @ContractPath('payments-internal.listPaymentRequests') { applicationId }: { applicationId: string },
  ): Promise<{ items: PaymentRequestView[] }> {
    const requests = await this.requests.ofApplication(this.dataSource.manager, applicationId);
    return { items: requests.map(toPaymentRequestView) };
  }
}
