import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { Application } from '@umg/contracts';
import { ApplicationRepository } from '../application/application.repository';
import type { ApplicationEntity } from '../application/application.entity';
import type { DistrictScope } from '../application/district-scope';
import { ApplicationError, ApplicationErrorCode } from '../lifecycle/application-error';
import { ApplicationView } from '../read/application-view';

/**
 * The frame of every district decision: one transaction, the application locked, the version the
 * district read checked (412 when it moved on; a second clerk waiting on the lock sees the first
 * clerk's change this way), the decision applied, and the updated application returned.
 */
@Injectable()
export class DistrictDecisionRunner {
  constructor(
    private readonly dataSource: DataSource,
    private readonly applications: ApplicationRepository,
    private readonly view: ApplicationView,
  ) {}

  run(
    scope: DistrictScope,
    applicationId: string,
    expectedVersion: number,
    decide: (manager: EntityManager, application: ApplicationEntity) => Promise<ApplicationEntity>,
    within?: EntityManager,
  ): Promise<Application> {
    // Inside a caller's transaction (a Kafka consumer's, with its inbox row) this is a savepoint:
    // a refused decision rolls back alone and the message is still recorded as handled.
    return (within ?? this.dataSource.manager).transaction(async (manager) => {
      const application = await this.applications.get(manager, scope, applicationId, true);
      if (application.version !== expectedVersion) {
        throw new ApplicationError(
          ApplicationErrorCode.VersionMismatch,
          `If-Match is "${expectedVersion}" but the application is at version ${application.version}`,
        );
      }
      return this.view.of(manager, await decide(manager, application));
    });
  }
}
