import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { ApplicationError, ApplicationErrorCode } from '../lifecycle/application-error';
import { ApplicationEventEntity } from './application-event.entity';
import { ApplicationEntity } from './application.entity';
import { AttachmentEntity } from './attachment.entity';
import { DocumentEntity } from './document.entity';
import type { DistrictScope } from './district-scope';

/** District-scoped access to applications: there is no way to read one without a scope. */
@Injectable()
export class ApplicationRepository {
  async get(manager: EntityManager, scope: DistrictScope, id: string, lock = false): Promise<ApplicationEntity> {
    const application = isUuid(id)
      ? await manager.findOne(ApplicationEntity, {
          where: { id, districtCode: scope.districtCode },
          ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}),
        })
      : null;
    // Another district's application reads exactly like a missing one: existence is not leaked.
    if (!application) throw new ApplicationError(ApplicationErrorCode.NotFound, `no application ${id}`);
    return application;
  }

  /**
   * For the system's own reactions to events (a payment arrived, a delivery was received): no
   * district acts there. Never call it with an id that came from a district's request.
   */
  async getForSystem(manager: EntityManager, id: string): Promise<ApplicationEntity | null> {
    return isUuid(id)
      ? manager.findOne(ApplicationEntity, { where: { id }, lock: { mode: 'pessimistic_write' } })
      : null;
  }

  /** For an operator's read, in any district (the operator claim was checked); never for a district's request. */
  async getForOperator(manager: EntityManager, id: string): Promise<ApplicationEntity> {
    const application = isUuid(id) ? await manager.findOne(ApplicationEntity, { where: { id } }) : null;
    if (!application) throw new ApplicationError(ApplicationErrorCode.NotFound, `no application ${id}`);
    return application;
  }

  timeline(manager: EntityManager, application: ApplicationEntity): Promise<ApplicationEventEntity[]> {
    return manager.find(ApplicationEventEntity, {
      where: { applicationId: application.id },
      order: { sequence: 'ASC' },
    });
  }

  documents(manager: EntityManager, application: ApplicationEntity): Promise<DocumentEntity[]> {
    return manager.find(DocumentEntity, { where: { applicationId: application.id }, order: { createdAt: 'ASC' } });
  }

  attachments(manager: EntityManager, application: ApplicationEntity): Promise<AttachmentEntity[]> {
    return manager.find(AttachmentEntity, {
      where: { applicationId: application.id },
      order: { fileName: 'ASC' },
    });
  }
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function isUuid(value: string): boolean {
  return uuidPattern.test(value);
}
