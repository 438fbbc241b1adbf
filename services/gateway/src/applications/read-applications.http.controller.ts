import { Controller, Get, Param, ParseIntPipe, Res, StreamableFile, UseGuards } from '@nestjs/common';
import { ProblemException } from '@umg/problem';
import type { Response } from 'express';
import type {
  Application,
  ApplicationChangePage,
  ApplicationPage,
  ApplicationsInternalOperations,
} from '@umg/contracts';
import { ContractQuery } from '@umg/platform';
import { DistrictRateLimitGuard } from '../abuse/district-rate-limit.guard';
import { CurrentDistrict } from '../auth/current-district.decorator';
import { DistrictAuthGuard } from '../auth/district-auth.guard';
import { RequireScope } from '../auth/district-scope';
import type { DistrictPrincipal } from '../auth/district-principal';
import { foundNothing } from '../exchange-log/empty-polls';
import { ApplicationsClient } from './applications.client';
import { DeliveryClient, type DeliveryList, type ReceivedMessageList } from './delivery.client';
import { InternetFacing } from '@umg/platform';

/** The district API's reads: a district sees only its own applications. */
@InternetFacing()
@Controller('v1/applications')
@UseGuards(DistrictAuthGuard, DistrictRateLimitGuard)
export class ReadApplicationsHttpController {
  constructor(
    private readonly applications: ApplicationsClient,
    private readonly delivery: DeliveryClient,
  ) {}

  @Get()
  @RequireScope('applications:read')
  async list(
    @CurrentDistrict() district: DistrictPrincipal,
    @ContractQuery('district-api.listApplications')
    query: NonNullable<ApplicationsInternalOperations['listApplications']['parameters']['query']>,
    @Res({ passthrough: true }) response: Response,
  ): Promise<ApplicationPage> {
    const page = await this.applications.listApplications(district, query);
    if (page.items.length === 0) foundNothing(response);
    return page;
  }

  /**
   * The district's changes feed; a long-poll (`wait`) is held here as one pending HTTP call to the
   * applications service, which waits on its LISTEN connection: no database connection per client.
   * Declared before `:applicationId` so that `changes` is not read as an id.
   */
  @Get('changes')
  @RequireScope('applications:read')
  async changes(
    @CurrentDistrict() district: DistrictPrincipal,
    @ContractQuery('district-api.listApplicationChanges')
    query: NonNullable<ApplicationsInternalOperations['listApplicationChanges']['parameters']['query']>,
    @Res({ passthrough: true }) response: Response,
  ): Promise<ApplicationChangePage> {
    const page = await this.applications.listApplicationChanges(district, query);
    if (page.items.length === 0) foundNothing(response);
    return page;
  }

  @Get(':applicationId')
  @RequireScope('applications:read')
  async get(
    @CurrentDistrict() district: DistrictPrincipal,
    @Param('applicationId') applicationId: string,
    @Res({ passthrough: true }) response: Response,
  ): Promise<Application> {
    const application = await this.applications.getApplication(district, applicationId);
    response.setHeader('ETag', `"${application.version}"`);
    return application;
  }

  @Get(':applicationId/attachments/:attachmentId')
  @RequireScope('applications:read')
  async attachment(
    @CurrentDistrict() district: DistrictPrincipal,
    @Param('applicationId') applicationId: string,
    @Param('attachmentId') attachmentId: string,
    @Res({ passthrough: true }) response: Response,
  ): Promise<StreamableFile> {
    const file = await this.applications.attachment(district, applicationId, attachmentId);
    for (const [name, value] of Object.entries(file.headers)) response.setHeader(name, value);
    return new StreamableFile(file.content);
  }

  /** The applicant's later messages about the application (corrections, letters), kept whole. */
  @Get(':applicationId/correspondence')
  @RequireScope('applications:read')
  async correspondence(
    @CurrentDistrict() district: DistrictPrincipal,
    @Param('applicationId') applicationId: string,
  ): Promise<ReceivedMessageList> {
    const application = await this.applications.getApplication(district, applicationId);
    return this.delivery.correspondenceOf(district.districtCode, application.portalApplicationId);
  }

  @Get(':applicationId/correspondence/:messageId/documents/:documentId')
  @RequireScope('applications:read')
  async correspondenceDocument(
    @CurrentDistrict() district: DistrictPrincipal,
    @Param('applicationId') applicationId: string,
    @Param('messageId', ParseIntPipe) messageId: number,
    @Param('documentId', ParseIntPipe) documentId: number,
    @Res({ passthrough: true }) response: Response,
  ): Promise<StreamableFile> {
    const application = await this.applications.getApplication(district, applicationId);
    // Only a message that is correspondence on this very application.
    const messages = await this.delivery.correspondenceOf(district.districtCode, application.portalApplicationId);
    if (!messages.items.some((message) => message.messageId === messageId)) {
      throw new ProblemException(
        404,
        'received_document_not_found',
        'Document not found',
        'no such message on this application',
      );
    }
    const file = await this.delivery.correspondenceDocument(district.districtCode, messageId, documentId);
    for (const [name, value] of Object.entries(file.headers)) response.setHeader(name, value);
    return new StreamableFile(file.content);
  }

  /** What reached the applicant, and why a document was stopped; only for the caller's own application. */
  @Get(':applicationId/deliveries')
  @RequireScope('applications:read')
  async deliveries(
    @CurrentDistrict() district: DistrictPrincipal,
    @Param('applicationId') applicationId: string,
  ): Promise<DeliveryList> {
    const application = await this.applications.getApplication(district, applicationId);
    return this.delivery.deliveriesOf(application.id);
  }
}
