import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Application } from '@umg/contracts';
import type { DistrictScope } from '../application/district-scope';
import { ApplicationView } from './application-view';

/** One application of the caller's district, with its timeline, files and deadline. */
@Injectable()
export class GetApplicationService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly view: ApplicationView,
  ) {}

  get(scope: DistrictScope, id: string): Promise<Application> {
    return this.view.ofDistrict(this.dataSource.manager, scope, id);
  }
}
