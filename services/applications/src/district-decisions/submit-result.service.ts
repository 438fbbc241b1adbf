import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { Application, ResultMetadata } from '@umg/contracts';
import type { DistrictScope } from '../application/district-scope';
import { ApplicationLifecycle } from '../lifecycle/application-lifecycle';
import type { Actor } from '../lifecycle/application-status';
import { type Decision, DistrictDecisionRunner } from './district-decision-runner';
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
  ): Promise<Application> {
    return this.decisions.run(scope, applicationId, expectedVersion, this.decision(actor, metadata, content));
  }

  /** The result, for the district API's frame or a back office's; the document is checked first. */
  decision(actor: Actor, metadata: ResultMetadata, content: Buffer): Decision {
    checkResultDocument(metadata, content);
    return async (manager, application) => {
      const now = new Date();
      const documentId = randomUUID();
      const replacing = application.status === 'result_blocked';
      const next = await this.lifecycle.transition(manager, application, {
        to: metadata.kind === 'result' ? 'result_ready' : 'refused',
        actor,
        documentIds: [documentId],
        details: {
          documentId,
          fileName: metadata.fileName,
          ...(replacing ? { replacement: true } : {}),
        },
      });
      await manager.query(
        `INSERT INTO applications.document (id, application_id, kind, file_name, media_type, size, sha256, content, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
        [
          documentId,
          application.id,
          metadata.kind,
          metadata.fileName,
          metadata.mediaType,
          content.length,
          metadata.sha256.toLowerCase(),
          content,
          now,
        ],
      );
      if (replacing) {
        await manager.query(
          `UPDATE applications.document SET superseded_at = $3, superseded_by = $2
          WHERE application_id = $1 AND kind = 'result' AND superseded_at IS NULL AND id <> $2`,
          [application.id, documentId, now],
        );
      }
      return next;
    };
  }
}
