import { Injectable } from '@nestjs/common';
import type { Application, HandOverRequest } from '@umg/contracts';
import type { HandoverRecord } from '../application/application.entity';
import type { DistrictScope } from '../application/district-scope';
import { ApplicationError, ApplicationErrorCode } from '../lifecycle/application-error';
import { ApplicationLifecycle } from '../lifecycle/application-lifecycle';
import type { Actor } from '../lifecycle/application-status';
import { DistrictDecisionRunner } from './district-decision-runner';

/** Clocks differ a little between a district's desk and us: a minute ahead is still "now". */
const clockSkewMs = 60_000;

/**
 * The result waiting at the desk was collected: awaiting_collection → handed_over (final), with
 * who handed it over (the clerk, or the operator acting for the district), when, and to whom.
 * The recipient is personal data: stored on the application like the applicant, never put on the
 * timeline or in a Kafka message.
 */
@Injectable()
export class HandOverAtDeskService {
  constructor(
    private readonly decisions: DistrictDecisionRunner,
    private readonly lifecycle: ApplicationLifecycle,
  ) {}

  handOver(
    scope: DistrictScope,
    applicationId: string,
    expectedVersion: number,
    actor: Actor,
    request: HandOverRequest,
  ): Promise<Application> {
    const now = new Date();
    const at = request.handedOverAt ? new Date(request.handedOverAt) : now;
    if (at.getTime() > now.getTime() + clockSkewMs) {
      throw new ApplicationError(ApplicationErrorCode.ValidationFailed, 'handedOverAt is in the future', [
        { field: 'handedOverAt', code: 'in_future', message: 'a handover cannot be recorded before it happened' },
      ]);
    }
    return this.decisions.run(scope, applicationId, expectedVersion, async (manager, application) => {
      if (application.status === 'handed_over') {
        throw new ApplicationError(
          ApplicationErrorCode.AlreadyHandedOver,
          `the result was already handed over (${application.handover?.handedOverAt ?? 'earlier'})`,
        );
      }
      const handover: HandoverRecord = {
        handedOverAt: at.toISOString(),
        handedOverBy: request.handedOverBy,
        actor: { kind: actor.kind === 'operator' ? 'operator' : 'district', id: actor.id },
        recipient: {
          name: request.recipient.name,
          ...(request.recipient.identifier
            ? { identifierType: request.recipient.identifierType, identifier: request.recipient.identifier }
            : {}),
        },
      };
      return this.lifecycle.transition(manager, application, {
        to: 'handed_over',
        actor,
        at: now,
        changes: { handover },
        details: { handedOverAt: handover.handedOverAt, handedOverBy: handover.handedOverBy },
      });
    });
  }
}
