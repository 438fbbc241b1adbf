import { Controller, Get, Param, Res } from '@nestjs/common';
import type { Response } from 'express';
import type { Application } from '@umg/contracts';
import { ApplicationError, ApplicationErrorCode } from '../lifecycle/application-error';
import { districtScope } from '../application/district-scope';
import { GetApplicationService } from './get-application.service';

/** Internal API, called by the gateway with the district it resolved from the credential. */
@Controller('internal/v1/districts/:districtCode/applications')
export class GetApplicationHttpController {
  constructor(private readonly getApplication: GetApplicationService) {}

  @Get(':applicationId')
  async get(
    @Param('districtCode') districtCode: string,
    @Param('applicationId') applicationId: string,
    @Res({ passthrough: true }) response: Response,
  ): Promise<Application> {
    const scope = districtScope(districtCode);
    if (!scope) throw new ApplicationError(ApplicationErrorCode.NotFound, `no application ${applicationId}`);
    const application = await this.getApplication.get(scope, applicationId);
    response.setHeader('ETag', `"${application.version}"`);
    return application;
  }
}
