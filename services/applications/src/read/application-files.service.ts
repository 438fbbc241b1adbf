import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ApplicationRepository } from '../application/application.repository';
import { AttachmentEntity } from '../application/attachment.entity';
import { DocumentEntity } from '../application/document.entity';
import type { DistrictScope } from '../application/district-scope';
import { ApplicationError, ApplicationErrorCode } from '../lifecycle/application-error';

export interface StoredFile {
  fileName: string;
  mediaType: string;
  sha256: string;
  content: Buffer;
}

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The files of an application of the caller's district: the applicant's attachments and the district's documents. */
@Injectable()
export class ApplicationFilesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly applications: ApplicationRepository,
  ) {}

  async attachment(scope: DistrictScope, applicationId: string, attachmentId: string): Promise<StoredFile> {
    const application = await this.applications.get(this.dataSource.manager, scope, applicationId);
    const file = uuid.test(attachmentId)
      ? await this.dataSource.manager
          .createQueryBuilder(AttachmentEntity, 'f')
          .addSelect('f.content')
          .where('f.id = :id AND f.applicationId = :applicationId', { id: attachmentId, applicationId: application.id })
          .getOne()
      : null;
    if (!file) throw new ApplicationError(ApplicationErrorCode.AttachmentNotFound, `no attachment ${attachmentId}`);
    return file;
  }

  async document(scope: DistrictScope, applicationId: string, documentId: string): Promise<StoredFile> {
    const application = await this.applications.get(this.dataSource.manager, scope, applicationId);
    const file = uuid.test(documentId)
      ? await this.dataSource.manager
          .createQueryBuilder(DocumentEntity, 'f')
          .addSelect('f.content')
          .where('f.id = :id AND f.applicationId = :applicationId', { id: documentId, applicationId: application.id })
          .getOne()
      : null;
    if (!file) throw new ApplicationError(ApplicationErrorCode.DocumentNotFound, `no document ${documentId}`);
    return file;
  }
}
