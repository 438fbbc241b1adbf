import { Controller, Get, Param, Res } from '@nestjs/common';
import type { Response } from 'express';
import type { Application, ApplicationPage } from '@umg/contracts';
import { ActingOperator, CallableBy, ContractQuery, type OperatorClaim } from '@umg/platform';
import { type FindQuery, FindApplicationsService } from './find-applications.service';

/** The operator's search and read of applications in any district (the gateway signs the operator). */
@Controller('internal/v1/applications')
@CallableBy('gateway')
export class OperatorApplicationsHttpController {
  constructor(private readonly applications: FindApplicationsService) {}

  @Get()
  find(
    @ActingOperator() _operator: OperatorClaim,
    @ContractQuery('applications-internal.findApplications') query: FindQuery,
  ): Promise<ApplicationPage> {
    return this.applications.find(query);
  }

  @Get(':applicationId')
  async get(
    @ActingOperator() _operator: OperatorClaim,
    @Param('applicationId') applicationId: string,
    @Res({ passthrough: true }) response: Response,
  ): Promise<Application> {
    const application = await this.applications.get(applicationId);
    response.setHeader('ETag', `"${application.version}"`);
    return application;
  }
}
