import { CallableBy } from '@umg/platform';
import { createHash } from 'node:crypto';
import { Controller, Get, Param, Res, StreamableFile } from '@nestjs/common';
import type { Response } from 'express';
import type { Application, ApplicationPage } from '@umg/contracts';
import { ContractQuery } from '@umg/platform';
import { districtScope, type DistrictScope } from '../application/district-scope';
import { ApplicationError, ApplicationErrorCode } from '../lifecycle/application-error';
import { ApplicationFilesService, type StoredFile } from './application-files.service';
import { GetApplicationService } from './get-application.service';
import { type ListQuery, ListApplicationsService } from './list-applications.service';

/** Internal read API, called by the gateway (and by delivery for documents) with the district scope. */
@Controller('internal/v1/districts/:districtCode/applications')
@CallableBy('gateway')
export class ApplicationsReadHttpController {
  constructor(
    private readonly listApplications: ListApplicationsService,
    private readonly getApplication: GetApplicationService,
    private readonly files: ApplicationFilesService,
  ) {}

  @Get()
  list(
    @Param('districtCode') districtCode: string,
    @ContractQuery('applications-internal.listApplications') query: ListQuery,
  ): Promise<ApplicationPage> {
    return this.listApplications.list(scopeOf(districtCode), query);
  }

  @Get(':applicationId')
  async get(
    @Param('districtCode') districtCode: string,
    @Param('applicationId') applicationId: string,
    @Res({ passthrough: true }) response: Response,
  ): Promise<Application> {
    const application = await this.getApplication.get(scopeOf(districtCode, applicationId), applicationId);
    response.setHeader('ETag', `"${application.version}"`);
    return application;
  }

  @Get(':applicationId/attachments/:attachmentId')
  async attachment(
    @Param('districtCode') districtCode: string,
    @Param('applicationId') applicationId: string,
    @Param('attachmentId') attachmentId: string,
    @Res({ passthrough: true }) response: Response,
  ): Promise<StreamableFile> {
    const file = await this.files.attachment(scopeOf(districtCode, applicationId), applicationId, attachmentId);
    return sendFile(response, file);
  }

  /** Delivery takes the documents it delivers; nothing else reads them here. */
  @Get(':applicationId/documents/:documentId')
  @CallableBy('delivery')
  async document(
    @Param('districtCode') districtCode: string,
    @Param('applicationId') applicationId: string,
    @Param('documentId') documentId: string,
    @Res({ passthrough: true }) response: Response,
  ): Promise<StreamableFile> {
    const file = await this.files.document(scopeOf(districtCode, applicationId), applicationId, documentId);
    return sendFile(response, file);
  }
}

function scopeOf(districtCode: string, applicationId = ''): DistrictScope {
  const scope = districtScope(districtCode);
  if (!scope) throw new ApplicationError(ApplicationErrorCode.NotFound, `no application ${applicationId}`);
  return scope;
}

function sendFile(response: Response, file: StoredFile): StreamableFile {
  const digest = createHash('sha256').update(file.content).digest('base64');
  response.setHeader('Content-Type', file.mediaType);
  response.setHeader('Repr-Digest', `sha-256=:${digest}:`);
  response.setHeader('Content-Disposition', `attachment; filename*=UTF-8''${encodeURIComponent(file.fileName)}`);
  return new StreamableFile(file.content);
}
