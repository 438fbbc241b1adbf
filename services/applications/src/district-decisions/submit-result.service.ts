import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Application, ResultMetadata } from '@umg/contracts';
import { DocumentEntity } from '../application/document.entity';
import type { DistrictScope } from '../application/district-scope';
import { ApplicationLifecycle } from '../lifecycle/application-lifecycle';
import type { Actor } from '../lifecycle/application-status';
import { DistrictDecisionRunner } from './district-decision-runner';
import { checkResultDocument } from './result-document';

/**
 * The district submits the signed result (→ result_ready) or a signed refusal (→ refused); the
 * document is stored with its checksum and handed to delivery through the domain event. A result
 * e-delivery refused (result_blocked) is replaced the same way, by the district or an operator on
 * its behalf: the refused document stays, marked superseded by the new one, which is delivered.
 */
@Injectable()
export class SubmitResultService {
  constructor(
    private readonly decisions: DistrictDecisionRunner,
    private readonly lifecycle: ApplicationLifecycle,
  ) {}

  submit(
    scope: DistrictScope,
    applicationId: string,
    expectedVersion: number,
    actor: Actor,
    metadata: ResultMetadata,
    content: Buffer,
    within?: EntityManager,
  ): Promise<Application> {
    checkResultDocument(metadata, content);
    return this.decisions.run(
      scope,
      applicationId,
      expectedVersion,
      async (manager, application) => {
        const now = new Date();
        const document = Object.assign(new DocumentEntity(), {
          id: randomUUID(),
          applicationId: application.id,
          kind: metadata.kind,
          fileName: metadata.fileName,
          mediaType: metadata.mediaType,
          size: content.length,
          sha256: metadata.sha256.toLowerCase(),
          content,
          createdAt: now,
          supersededAt: null,
          supersededBy: null,
        });
        const replacing = application.status === 'result_blocked';
        const next = await this.lifecycle.transition(manager, application, {
          to: metadata.kind === 'result' ? 'result_ready' : 'refused',
          actor,
          documentIds: [document.id],
          details: {
            documentId: document.id,
            fileName: metadata.fileName,
            ...(replacing ? { replacement: true } : {}),
          },
        });
        await manager.insert(DocumentEntity, document);
        if (replacing) {
          await manager.query(
            `UPDATE applications.document SET superseded_at = $3, superseded_by = $2
            WHERE application_id = $1 AND kind = 'result' AND superseded_at IS NULL AND id <> $2`,
            [application.id, document.id, now],
          );
        }
        return next;
      },
      within,
    );
  }
}
