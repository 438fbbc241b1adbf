import { createHash, randomUUID } from 'node:crypto';
import { RESULT_DOCUMENT_MAX_BYTES, resultDocumentMediaTypes } from '@umg/contracts';
import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { DistrictsConfig } from '../config';
import { DistrictError, DistrictErrorCode } from '../district/district-error';
import { DISTRICTS_CONFIG } from '../tokens';
import { PushFailure, type PushedResult } from './back-office-answer';
import { BackOfficeEndpointPolicy, EndpointRefused } from './back-office-endpoint-policy';
import { AnswerTooLarge, guardedGet } from './guarded-post';

/** A result document in hand and checked: allowed type, size, and the SHA-256 of its bytes. */
export interface CheckedDocument {
  kind: 'result' | 'refusal';
  fileName: string;
  mediaType: string;
  sha256: string;
  content: Buffer;
}

export interface StoredDocument {
  id: string;
  fileName: string;
  mediaType: string;
  sha256: string;
  content: Buffer;
}

/**
 * The result documents back offices answer pushes with. Up to 10 MiB does not travel on Kafka:
 * the document is held here (claim check) and the decision names it; the applications service
 * takes it from the internal route when it applies the decision.
 */
@Injectable()
export class AnsweredDocuments {
  constructor(
    private readonly policy: BackOfficeEndpointPolicy,
    @Inject(DISTRICTS_CONFIG) private readonly config: DistrictsConfig,
  ) {}

  /** The document itself, fetched when the answer gave a reference; every failure says whether a retry can help. */
  async obtain(result: PushedResult): Promise<CheckedDocument> {
    const content =
      'content' in result.document ? result.document.content : await this.fetch(result.document.reference);
    const mediaType = result.mediaType.split(';')[0]!.trim().toLowerCase();
    if (!resultDocumentMediaTypes.has(mediaType)) {
      throw new PushFailure(`the answered document is ${mediaType}, which is not an allowed result type`, true);
    }
    if (content.length === 0) throw new PushFailure('the answered document is empty', true);
    if (content.length > RESULT_DOCUMENT_MAX_BYTES) {
      throw new PushFailure('the answered document is larger than 10 MiB', true);
    }
    const sha256 = createHash('sha256').update(content).digest('hex');
    if (result.sha256 && result.sha256.toLowerCase() !== sha256) {
      throw new PushFailure(
        `the answered document's SHA-256 is ${sha256}, not the ${result.sha256} the back office stated`,
        true,
      );
    }
    return { kind: result.kind, fileName: result.fileName, mediaType, sha256, content };
  }

  /** Held in the caller's transaction, with the decision that names it. */
  async store(
    manager: EntityManager,
    districtCode: string,
    applicationId: string,
    backOfficeReference: string,
    document: CheckedDocument,
  ): Promise<string> {
    const id = randomUUID();
    await manager.query(
      `INSERT INTO districts.back_office_document
         (id, district_code, application_id, kind, file_name, media_type, size, sha256, content, back_office_reference)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [
        id,
        districtCode,
        applicationId,
        document.kind,
        document.fileName,
        document.mediaType,
        document.content.length,
        document.sha256,
        document.content,
        backOfficeReference,
      ],
    );
    return id;
  }

  async read(manager: EntityManager, id: string): Promise<StoredDocument> {
    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
    const [row] = uuid.test(id)
      ? ((await manager.query(
          `SELECT id, file_name, media_type, sha256, content FROM districts.back_office_document WHERE id = $1`,
          [id],
        )) as { id: string; file_name: string; media_type: string; sha256: string; content: Buffer }[])
      : [];
    if (!row) throw new DistrictError(DistrictErrorCode.DocumentNotFound, `no answered document ${id}`);
    return { id: row.id, fileName: row.file_name, mediaType: row.media_type, sha256: row.sha256, content: row.content };
  }

  private async fetch(reference: string): Promise<Buffer> {
    let answer;
    try {
      const target = this.policy.check(reference);
      answer = await guardedGet(target, {
        policy: this.policy,
        timeoutMs: this.config.PUSH_TIMEOUT_MS,
        maxAnswerBytes: RESULT_DOCUMENT_MAX_BYTES,
      });
    } catch (error) {
      if (error instanceof EndpointRefused) throw new PushFailure(`document reference refused: ${error.message}`, true);
      if (error instanceof AnswerTooLarge) throw new PushFailure('the referenced document is larger than 10 MiB', true);
      throw new PushFailure(`the referenced document could not be fetched: ${String(error)}`, false);
    }
    if (answer.status < 200 || answer.status >= 300) {
      const retriable = answer.status === 408 || answer.status === 429 || answer.status >= 500;
      throw new PushFailure(`the referenced document answered ${answer.status}`, !retriable, answer.status);
    }
    return answer.body;
  }
}
