import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Application } from '@umg/contracts';
import { ApplicationRepository } from '../application/application.repository';
import type { DistrictScope } from '../application/district-scope';
import { toApplication } from './application.mapper';

/** One application of the caller's district, with its timeline, attachments and deadline. */
@Injectable()
export class GetApplicationService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly applications: ApplicationRepository,
  ) {}

  async get(scope: DistrictScope, id: string): Promise<Application> {
    const manager = this.dataSource.manager;
    const application = await this.applications.get(manager, scope, id);
    const [timeline, attachments] = await Promise.all([
      this.applications.timeline(manager, application),
      this.applications.attachments(manager, application),
    ]);
    return toApplication(application, timeline, attachments);
  }
}
