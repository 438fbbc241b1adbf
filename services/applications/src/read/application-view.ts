import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Application } from '@umg/contracts';
import { ApplicationRepository } from '../application/application.repository';
import type { ApplicationEntity } from '../application/application.entity';
import { toApplication } from './application.mapper';

/** Builds the contract view of one application: the entity with its timeline and files. */
@Injectable()
export class ApplicationView {
  constructor(private readonly applications: ApplicationRepository) {}

  async of(manager: EntityManager, application: ApplicationEntity): Promise<Application> {
    const [timeline, attachments, documents] = await Promise.all([
      this.applications.timeline(manager, application),
      this.applications.attachments(manager, application),
      this.applications.documents(manager, application),
    ]);
    return toApplication(application, timeline, attachments, documents);
  }
}
