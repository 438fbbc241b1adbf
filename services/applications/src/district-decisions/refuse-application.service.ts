import { Injectable } from '@nestjs/common';
import type { Application, RefuseApplicationRequest } from '@umg/contracts';
import type { DistrictScope } from '../application/district-scope';
import { ApplicationLifecycle } from '../lifecycle/application-lifecycle';
import type { Actor } from '../lifecycle/application-status';
import { type Decision, DistrictDecisionRunner } from './district-decision-runner';

/** The district refuses the service, with reasons and the legal ground. */
@Injectable()
export class RefuseApplicationService {
  constructor(
    private readonly decisions: DistrictDecisionRunner,
    private readonly lifecycle: ApplicationLifecycle,
  ) {}

  refuse(
    scope: DistrictScope,
    applicationId: string,
    expectedVersion: number,
    actor: Actor,
    request: RefuseApplicationRequest,
  ): Promise<Application> {
    return this.decisions.run(scope, applicationId, expectedVersion, this.decision(actor, request));
  }

  /** The refusal, for the district API's frame or a back office's. */
  decision(actor: Actor, request: RefuseApplicationRequest): Decision {
    return (manager, application) =>
      this.lifecycle.transition(manager, application, {
        to: 'refused',
        actor,
        reasons: request.reasons,
        ...(request.legalGround ? { details: { legalGround: request.legalGround } } : {}),
      });
  }
}
