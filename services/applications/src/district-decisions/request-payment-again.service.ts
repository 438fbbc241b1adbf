import { Injectable } from '@nestjs/common';
import type { Application, RequestPaymentAgainRequest } from '@umg/contracts';
import type { DistrictScope } from '../application/district-scope';
import { ApplicationLifecycle } from '../lifecycle/application-lifecycle';
import type { Actor } from '../lifecycle/application-status';
import { DistrictDecisionRunner } from './district-decision-runner';

/**
 * The applicant let the payment request expire; the district gives another chance. The payments
 * service sees `awaiting_payment` again and makes the next payment request.
 */
@Injectable()
export class RequestPaymentAgainService {
  constructor(
    private readonly decisions: DistrictDecisionRunner,
    private readonly lifecycle: ApplicationLifecycle,
  ) {}

  requestAgain(
    scope: DistrictScope,
    applicationId: string,
    expectedVersion: number,
    actor: Actor,
    request: RequestPaymentAgainRequest,
  ): Promise<Application> {
    return this.decisions.run(scope, applicationId, expectedVersion, (manager, application) =>
      this.lifecycle.transition(manager, application, {
        to: 'awaiting_payment',
        actor,
        ...(request.note ? { details: { note: request.note } } : {}),
      }),
    );
  }
}
