import { Injectable } from '@nestjs/common';
import type { Application, RegisterApplicationRequest } from '@umg/contracts';
import type { DistrictScope } from '../application/district-scope';
import { ApplicationError, ApplicationErrorCode } from '../lifecycle/application-error';
import { ApplicationLifecycle } from '../lifecycle/application-lifecycle';
import type { Actor } from '../lifecycle/application-status';
import { feeRequired } from '../lifecycle/fee-policy';
import { type Decision, DistrictDecisionRunner } from './district-decision-runner';

/**
 * The district registers the application in its back office under its own registration number
 * (входящ номер), which goes back to the applicant. A service with a fee then waits for payment.
 */
@Injectable()
export class RegisterApplicationService {
  constructor(
    private readonly decisions: DistrictDecisionRunner,
    private readonly lifecycle: ApplicationLifecycle,
  ) {}

  register(
    scope: DistrictScope,
    applicationId: string,
    expectedVersion: number,
    actor: Actor,
    request: RegisterApplicationRequest,
  ): Promise<Application> {
    return this.decisions.run(scope, applicationId, expectedVersion, this.decision(actor, request));
  }

  /** The registration, for the district API's frame or a back office's. */
  decision(actor: Actor, request: RegisterApplicationRequest): Decision {
    return async (manager, application) => {
      try {
        const registered = await this.lifecycle.transition(manager, application, {
          to: 'registered',
          actor,
          changes: { registrationNumber: request.registrationNumber },
          details: { registeredAt: request.registeredAt ?? new Date().toISOString() },
        });
        if (!feeRequired(registered)) return registered;
        return await this.lifecycle.transition(manager, registered, {
          to: 'awaiting_payment',
          actor: { kind: 'system', id: 'applications' },
        });
      } catch (error) {
        if ((error as { constraint?: string }).constraint === 'application_registration_number') {
          throw new ApplicationError(
            ApplicationErrorCode.RegistrationNumberTaken,
            `registration number ${request.registrationNumber} is already used for another application`,
          );
        }
        throw error;
      }
    };
  }
}
