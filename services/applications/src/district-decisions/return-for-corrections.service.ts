import { Injectable } from '@nestjs/common';
import type { Application, ReturnForCorrectionsRequest } from '@umg/contracts';
import type { DistrictScope } from '../application/district-scope';
import { ApplicationLifecycle } from '../lifecycle/application-lifecycle';
import type { Actor } from '../lifecycle/application-status';
import { type Decision, DistrictDecisionRunner } from './district-decision-runner';

/** The district returns a wrongly filled application to the applicant, with its reasons. */
@Injectable()
export class ReturnForCorrectionsService {
  constructor(
    private readonly decisions: DistrictDecisionRunner,
    private readonly lifecycle: ApplicationLifecycle,
  ) {}

  returnForCorrections(
    scope: DistrictScope,
    applicationId: string,
    expectedVersion: number,
    actor: Actor,
    request: ReturnForCorrectionsRequest,
  ): Promise<Application> {
    return this.decisions.run(scope, applicationId, expectedVersion, this.decision(actor, request));
  }

  /** The return, for the district API's frame or a back office's. */
  decision(actor: Actor, request: ReturnForCorrectionsRequest): Decision {
    return (manager, application) =>
      this.lifecycle.transition(manager, application, {
        to: 'returned_for_corrections',
        actor,
        reasons: request.reasons,
      });
  }
}
