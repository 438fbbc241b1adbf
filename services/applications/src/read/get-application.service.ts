import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Application } from '@umg/contracts';
import { ApplicationRepository } from '../application/application.repository';
import type { DistrictScope } from '../application/district-scope';
import { ApplicationView } from './application-view';

/** One application of the caller's district, with its timeline, files and deadline. */
@Injectable()
export class GetApplicationService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly applications: ApplicationRepository,
    private readonly view: ApplicationView,
  ) {}

  async get(scope: DistrictScope, id: string): Promise<Application> {
    const manager = this.dataSource.manager;
    return this.view.of(manager, await this.applications.get(manager, scope, id));
  }
}
