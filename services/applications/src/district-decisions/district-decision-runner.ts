import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { Application } from '@umg/contracts';
import { ApplicationRepository } from '../application/application.repository';
import type { ApplicationEntity } from '../application/application.entity';
import type { DistrictScope } from '../application/district-scope';
import { ApplicationError, ApplicationErrorCode } from '../lifecycle/application-error';
import { ApplicationView } from '../read/application-view';

/** What a district decided, applied to its locked application (through the lifecycle). */
export type Decision = (manager: EntityManager, application: ApplicationEntity) => Promise<ApplicationEntity>;

/**
 * The frames of a district decision: the application locked, the decision applied, in the
 * district API's own transaction (the version the district read checked) or in a back office's
 * Kafka consumer's (on the application as it is now).
 */
@Injectable()
export class DistrictDecisionRunner {
  constructor(
    private readonly dataSource: DataSource,
    private readonly applications: ApplicationRepository,
    private readonly view: ApplicationView,
  ) {}

  /**
   * The district API's: one transaction, the If-Match version checked (412 when it moved on; a
   * second clerk waiting on the lock sees the first clerk's change this way), and the updated
   * application returned.
   */
  run(scope: DistrictScope, applicationId: string, expectedVersion: number, decision: Decision): Promise<Application> {
    return this.dataSource.transaction(async (manager) => {
      const application = await this.applications.get(manager, scope, applicationId, true);
      if (application.version !== expectedVersion) {
        throw new ApplicationError(
          ApplicationErrorCode.VersionMismatch,
          `If-Match is "${expectedVersion}" but the application is at version ${application.version}`,
        );
      }
      await decision(manager, application);
      return this.view.ofDistrict(manager, scope, applicationId);
    });
  }

  /**
   * A back office's, inside its consumer's transaction so the decision commits with the inbox
   * row. No savepoint of its own: what the caller lets pass (a decision the application moved past,
   * an unknown application) is refused before the decision writes anything, and any other failure
   * fails the whole message. Nobody waits for an answer, so no view is read.
   */
  async runWithin(
    manager: EntityManager,
    scope: DistrictScope,
    applicationId: string,
    decision: Decision,
  ): Promise<void> {
    await decision(manager, await this.applications.get(manager, scope, applicationId, true));
  }
}
