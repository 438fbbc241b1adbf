import { Injectable } from '@nestjs/common';
import type { Application, OperatorApi } from '@umg/contracts';
import { ApplicationsClient } from '../applications/applications.client';
import { DeliveryClient } from '../applications/delivery.client';
import { PaymentsClient } from '../applications/payments.client';
import type { OperatorPrincipal } from '../operators/operator-principal';
import { ApplicationExchanges } from './application-exchanges';
import { maskIdentifier } from './mask-identifier';

type ApplicationCase = OperatorApi.components['schemas']['ApplicationCase'];
type CaseApplication = OperatorApi.components['schemas']['CaseApplication'];

/**
 * One application's whole story for the console: the application (from applications), its
 * payments (payment requests and status reports, from payments), its deliveries (from delivery)
 * and the gateway's own exchange-log records about it. A service that does not answer leaves its
 * part out and says so, rather than hiding the rest.
 */
@Injectable()
export class ApplicationCaseService {
  constructor(
    private readonly applications: ApplicationsClient,
    private readonly payments: PaymentsClient,
    private readonly deliveries: DeliveryClient,
    private readonly exchanges: ApplicationExchanges,
  ) {}

  async caseOf(operator: OperatorPrincipal, applicationId: string): Promise<ApplicationCase> {
    // Found first: an unknown id answers 404 before anything else is asked about it.
    const application = await this.applications.getApplicationForOperator(operator, applicationId);
    const [requests, statusReports, deliveries, exchanges] = await Promise.allSettled([
      this.payments.paymentRequestsOf(application.id),
      this.payments.paymentStatusReportsOf(application.id),
      this.deliveries.deliveriesOf(application.id),
      this.exchanges.of(application.id),
    ]);
    const unavailable: ApplicationCase['unavailable'] = [];
    const payments =
      requests.status === 'fulfilled' && statusReports.status === 'fulfilled'
        ? { requests: requests.value.items, statusReports: statusReports.value.items }
        : null;
    if (!payments) unavailable.push('payments');
    if (deliveries.status === 'rejected') unavailable.push('deliveries');
    // The exchange log is the gateway's own database: if that fails, the request fails.
    if (exchanges.status === 'rejected') throw exchanges.reason;
    return {
      application: forOperator(application),
      payments,
      deliveries: deliveries.status === 'fulfilled' ? deliveries.value.items : null,
      exchanges: exchanges.value,
      unavailable,
    };
  }
}

/** The district's view of an application without the e-form and with every identifier masked. */
export function forOperator(application: Application): CaseApplication {
  const { formData: _formData, applicant, representative, handover, ...rest } = application;
  return {
    ...rest,
    applicant: { ...applicant, identifier: maskIdentifier(applicant.identifier) },
    representative: representative
      ? {
          identifierType: representative.identifierType,
          identifier: maskIdentifier(representative.identifier),
          name: representative.name,
        }
      : null,
    ...(handover
      ? {
          handover: {
            ...handover,
            recipient: {
              ...handover.recipient,
              ...(handover.recipient.identifier ? { identifier: maskIdentifier(handover.recipient.identifier) } : {}),
            },
          },
        }
      : {}),
  };
}
