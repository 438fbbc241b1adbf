import { ActingOperator, CallableBy, type OperatorClaim, SERVICE_LOGGER } from '@umg/platform';
import type { Logger } from '@umg/logging';
import { Controller, Get, HttpCode, Inject, Post } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { PaymentsInternalComponents } from '@umg/contracts';
import { ContractPath } from '@umg/platform';
import type { PaymentsConfig } from '../config';
import { DistrictPayees } from '../payees/district-payees';
import { PaymentError, PaymentErrorCode } from '../payment-error';
import { PAYMENTS_CONFIG } from '../payments-config.token';
import { PaymentRequests } from '../payment-request/payment-requests';
import { PaymentSystemClients } from '../payment-system/payment-system-clients';
import { type PaymentRequestView, toPaymentRequestView } from '../read/payment-request.mapper';
import { OutboundCalls } from './outbound-calls';

type HeldClientView = PaymentsInternalComponents['schemas']['HeldPaymentSystemClient'];

/** Operators' view of what keeps calls from the payment system, and their retry of given-up calls. */
@Controller('internal/v1')
@CallableBy('gateway')
export class PaymentSystemCallsHttpController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly requests: PaymentRequests,
    private readonly outbound: OutboundCalls,
    private readonly clients: PaymentSystemClients,
    private readonly payees: DistrictPayees,
    @Inject(PAYMENTS_CONFIG) private readonly config: PaymentsConfig,
    @Inject(SERVICE_LOGGER) private readonly logger: Logger,
  ) {}

  @Post('payment-requests/:paymentRequestId/retry')
  @HttpCode(200)
  async retry(
    @ContractPath('payments-internal.retryPaymentRequest') { paymentRequestId: id }: { paymentRequestId: string },
    @ActingOperator() operator: OperatorClaim,
  ): Promise<PaymentRequestView> {
    // Who retried comes from the gateway's signed claim; the log line is the retry's audit record.
    this.logger.info(
      { operator: operator.id, role: operator.role, paymentRequestId: id },
      'operator retries a payment request',
    );
    return this.dataSource.transaction(async (manager) => {
      const request = await this.requests.lock(manager, id);
      if (!request) throw new PaymentError(PaymentErrorCode.PaymentRequestNotFound, `no payment request ${id}`);
      if (request.status === 'send_failed') {
        // Sent as the registry has the payee now (an operator may just have fixed it), payable for a full term again.
        const payee = await this.payees.payeeOf(manager, request.districtCode);
        if (!payee || (payee.placeholder && this.config.NODE_ENV === 'production')) {
          throw new PaymentError(
            PaymentErrorCode.NothingToRetry,
            `${request.districtCode} still has no real bank details`,
          );
        }
        const expiresAt = new Date(Date.now() + this.config.PAYMENT_EXPIRATION_DAYS * 86_400_000);
        request.wireRequest = {
          ...request.wireRequest,
          serviceProviderName: payee.providerName.slice(0, 100),
          serviceProviderBank: payee.bankName,
          serviceProviderBIC: payee.bic,
          serviceProviderIBAN: payee.iban,
          expirationDate: expiresAt.toISOString(),
        };
        Object.assign(request, {
          status: 'sending',
          paymentSystemClientId: payee.paymentSystemClientId ?? this.clients.municipalityClientId,
          expiresAt,
          problem: null,
          updatedAt: new Date(),
        });
        await manager.save(request);
        if ((await this.outbound.retryGivenUp(manager, id)) === 0) await this.outbound.enqueue(manager, id, 'create');
        return toPaymentRequestView(request);
      }
      const retried = await this.outbound.retryGivenUp(manager, id);
      if (retried === 0)
        throw new PaymentError(PaymentErrorCode.NothingToRetry, 'no call of this request was given up');
      return toPaymentRequestView(request);
    });
  }

  @Get('payment-system/clients')
  async heldClients(): Promise<{ items: HeldClientView[] }> {
    const held = await this.clients.held(this.dataSource.manager);
    return {
      items: held.map((client) => ({
        clientId: client.clientId,
        since: client.since.toISOString(),
        until: client.until.toISOString(),
        detail: client.detail,
      })),
    };
  }
}
