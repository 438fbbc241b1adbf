import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { isUuid } from '../application/application.repository';
import type { DistrictScope } from '../application/district-scope';
import { ApplicationError, ApplicationErrorCode } from '../lifecycle/application-error';

export interface StoredFile {
  fileName: string;
  mediaType: string;
  sha256: string;
  content: Buffer;
}

interface FileRow {
  file_name: string | null;
  media_type: string;
  sha256: string;
  content: Buffer;
}

/** The files of an application of the caller's district: the applicant's attachments and the district's documents. */
@Injectable()
export class ApplicationFilesService {
  constructor(private readonly dataSource: DataSource) {}

  attachment(scope: DistrictScope, applicationId: string, attachmentId: string): Promise<StoredFile> {
    return this.file('attachment', scope, applicationId, attachmentId, ApplicationErrorCode.AttachmentNotFound);
  }

  document(scope: DistrictScope, applicationId: string, documentId: string): Promise<StoredFile> {
    return this.file('document', scope, applicationId, documentId, ApplicationErrorCode.DocumentNotFound);
  }

  /**
   * One statement: the application of the scope (none: not found, as if it did not exist) and
   * its file (none: the file's own not-found).
   */
  private async file(
    table: 'attachment' | 'document',
    scope: DistrictScope,
    applicationId: string,
    fileId: string,
    missing: ApplicationErrorCode,
  ): Promise<StoredFile> {
    const [row] = isUuid(applicationId)
      ? ((await this.dataSource.query(
          `SELECT f.file_name, f.media_type, f.sha256, f.content
             FROM applications.application a
             LEFT JOIN applications.${table} f ON f.application_id = a.id AND f.id = $3
            WHERE a.id = $1 AND a.district_code = $2`,
          [applicationId, scope.districtCode, isUuid(fileId) ? fileId : null],
        )) as FileRow[])
      : [];
    if (!row) throw new ApplicationError(ApplicationErrorCode.NotFound, `no application ${applicationId}`);
    if (row.file_name === null) throw new ApplicationError(missing, `no ${table} ${fileId}`);
    return { fileName: row.file_name, mediaType: row.media_type, sha256: row.sha256, content: row.content };
  }
}
