import { Injectable } from '@nestjs/common';
import type { Application, StartProcessingRequest } from '@umg/contracts';
import type { DistrictScope } from '../application/district-scope';
import { ApplicationLifecycle } from '../lifecycle/application-lifecycle';
import type { Actor } from '../lifecycle/application-status';
import { type Decision, DistrictDecisionRunner } from './district-decision-runner';

/** The district starts work on a registered (no fee) or paid application. */
@Injectable()
export class StartProcessingService {
  constructor(
    private readonly decisions: DistrictDecisionRunner,
    private readonly lifecycle: ApplicationLifecycle,
  ) {}

  start(
    scope: DistrictScope,
    applicationId: string,
    expectedVersion: number,
    actor: Actor,
    request: StartProcessingRequest,
  ): Promise<Application> {
    return this.decisions.run(scope, applicationId, expectedVersion, this.decision(actor, request));
  }

  /** The start of work, for the district API's frame or a back office's. */
  decision(actor: Actor, request: StartProcessingRequest): Decision {
    return (manager, application) =>
      this.lifecycle.transition(manager, application, {
        to: 'in_progress',
        actor,
        ...(request.note ? { details: { note: request.note } } : {}),
      });
  }
}
