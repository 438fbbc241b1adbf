import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { ApplicationWithdrawn } from '@umg/contracts';
import type { Logger } from '@umg/logging';
import { ApplicationEntity } from '../application/application.entity';
import { InjectLogger } from '../inject-logger';
import { ApplicationLifecycle } from '../lifecycle/application-lifecycle';
import { isTransitionAllowed } from '../lifecycle/application-state-machine';
import type { ApplicationStatus } from '../lifecycle/application-status';
import { ReceiveSubmissionService } from './receive-submission.service';

/** The applicant withdraws the application through the portal, while the district has not started work. */
@Injectable()
export class WithdrawApplicationService {
  constructor(
    private readonly lifecycle: ApplicationLifecycle,
    private readonly intake: ReceiveSubmissionService,
    @InjectLogger() private readonly logger: Logger,
  ) {}

  /** Answers the application's id, or null when the portal named none of ours. */
  async withdraw(manager: EntityManager, withdrawal: ApplicationWithdrawn): Promise<string | null> {
    const application = await manager.findOne(ApplicationEntity, {
      where: { portalApplicationId: withdrawal.portalApplicationId },
      lock: { mode: 'pessimistic_write' },
    });
    if (!application) {
      await this.intake.reject(manager, withdrawal.portalApplicationId, [
        { code: 'application_not_found', message: 'no application with this portal id to withdraw' },
      ]);
      return null;
    }
    if (application.status === 'withdrawn') return application.id; // the portal repeated itself
    if (!isTransitionAllowed(application.status as ApplicationStatus, 'withdrawn', 'applicant')) {
      // Refused, never applied: the portal hears why.
      await this.intake.reject(manager, withdrawal.portalApplicationId, [
        {
          code: 'transition_not_allowed',
          message: `an application in status "${application.status}" can no longer be withdrawn`,
        },
      ]);
      return application.id;
    }
    await this.lifecycle.transition(manager, application, {
      to: 'withdrawn',
      actor: { kind: 'applicant', id: `portal:${application.portalApplicationId}` },
      ...(withdrawal.reason ? { reasons: [{ message: withdrawal.reason }] } : {}),
      at: new Date(withdrawal.withdrawnAt),
    });
    this.logger.info({ applicationId: application.id }, 'application withdrawn by the applicant');
    return application.id;
  }
}
