import { Controller, Get, Param } from '@nestjs/common';
import type { ApplicationChangePage } from '@umg/contracts';
import { CallableBy, ContractQuery } from '@umg/platform';
import { districtScope } from '../application/district-scope';
import { ApplicationError, ApplicationErrorCode } from '../lifecycle/application-error';
import { type ChangesQuery, ReadApplicationChangesService } from './read-application-changes.service';

/** The district's changes feed, called by the gateway for the district (long-poll with `wait`). */
@Controller('internal/v1/districts/:districtCode/application-changes')
@CallableBy('gateway')
export class ApplicationChangesHttpController {
  constructor(private readonly changes: ReadApplicationChangesService) {}

  @Get()
  list(
    @Param('districtCode') districtCode: string,
    @ContractQuery('applications-internal.listApplicationChanges') query: ChangesQuery,
  ): Promise<ApplicationChangePage> {
    const scope = districtScope(districtCode);
    if (!scope) throw new ApplicationError(ApplicationErrorCode.InvalidCursor, `no district ${districtCode}`);
    return this.changes.read(scope, query);
  }
}
