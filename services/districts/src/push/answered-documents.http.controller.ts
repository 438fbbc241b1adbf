import { createHash } from 'node:crypto';
import { Controller, Get, Param, Res, StreamableFile } from '@nestjs/common';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import { CallableBy } from '@umg/platform';
import { AnsweredDocuments } from './answered-documents';

/**
 * getBackOfficeDocument: the applications service takes a result document a back office
 * answered a push with, when it applies the submit_result decision that names it (claim check).
 */
@Controller('internal/v1/back-office-documents')
@CallableBy('applications')
export class AnsweredDocumentsHttpController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly documents: AnsweredDocuments,
  ) {}

  @Get(':documentId')
  async document(
    @Param('documentId') documentId: string,
    @Res({ passthrough: true }) response: Response,
  ): Promise<StreamableFile> {
    const document = await this.documents.read(this.dataSource.manager, documentId);
    const digest = createHash('sha256').update(document.content).digest('base64');
    response.setHeader('Content-Type', document.mediaType);
    response.setHeader('Repr-Digest', `sha-256=:${digest}:`);
    response.setHeader('Content-Disposition', `attachment; filename*=UTF-8''${encodeURIComponent(document.fileName)}`);
    return new StreamableFile(document.content);
  }
}
