import { Controller, Get, Param, Res, UseGuards } from '@nestjs/common';
import type { Response } from 'express';
import type { Application } from '@umg/contracts';
import { CurrentDistrict } from '../auth/current-district.decorator';
import { DistrictAuthGuard } from '../auth/district-auth.guard';
import type { DistrictPrincipal } from '../auth/district-principal';
import { ApplicationsClient } from './applications.client';

/** `GET /v1/applications/{id}`: one application of the caller's own district. */
@Controller('v1/applications')
@UseGuards(DistrictAuthGuard)
export class GetApplicationHttpController {
  constructor(private readonly applications: ApplicationsClient) {}

  @Get(':applicationId')
  async get(
    @CurrentDistrict() district: DistrictPrincipal,
    @Param('applicationId') applicationId: string,
    @Res({ passthrough: true }) response: Response,
  ): Promise<Application> {
    const application = await this.applications.getApplication(district, applicationId);
    response.setHeader('ETag', `"${application.version}"`);
    return application;
  }
}
