import { serviceFetch, ServiceTokenIssuer } from '@umg/platform';
import { tracedFetch } from '@umg/tracing';
import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { currentCorrelation } from '@umg/logging';
import type { DeliveryConfig } from '../config';
import { DELIVERY_CONFIG } from '../delivery-config.token';
import { DocumentFetchError } from './document-fetch.error';
import { allowedDocumentMediaTypes, defaultFileName, maxDocumentBytes } from './document-rules';
import { fileNameFromContentDisposition, sha256FromReprDigest } from './http-headers';

export interface FetchedDocument {
  documentId: string;
  fileName: string;
  mediaType: string;
  size: number;
  sha256: string;
  content: Buffer;
}

/**
 * Takes a document to deliver from the applications service's internal API and checks it on
 * receipt: allowed media type, size limit, and the SHA-256 of the bytes against `Repr-Digest`.
 */
@Injectable()
export class ApplicationsDocumentsClient {
  private readonly applicationsFetch: typeof fetch;

  constructor(
    @Inject(DELIVERY_CONFIG) private readonly config: DeliveryConfig,
    tokens: ServiceTokenIssuer,
  ) {
    this.applicationsFetch = serviceFetch(tokens, 'applications', tracedFetch('applications'));
  }

  async fetch(districtCode: string, applicationId: string, documentId: string): Promise<FetchedDocument> {
    const path = `/internal/v1/districts/${encodeURIComponent(districtCode)}/applications/${applicationId}/documents/${documentId}`;
    const correlation = currentCorrelation();
    let response: Response;
    try {
      response = await this.applicationsFetch(`${this.config.APPLICATIONS_URL}${path}`, {
        headers: correlation ? { 'x-correlation-id': correlation.correlationId } : {},
        signal: AbortSignal.timeout(this.config.APPLICATIONS_TIMEOUT_MS),
      });
    } catch (error) {
      throw new DocumentFetchError(true, `applications service unreachable: ${(error as Error).message}`);
    }
    if (!response.ok) {
      await response.body?.cancel();
      throw new DocumentFetchError(true, `applications service answered ${response.status} for document ${documentId}`);
    }
    const mediaType = (response.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
    if (!allowedDocumentMediaTypes.includes(mediaType)) {
      await response.body?.cancel();
      throw new DocumentFetchError(false, `document ${documentId} has media type "${mediaType}", which is not allowed`);
    }
    const declaredLength = Number(response.headers.get('content-length') ?? 0);
    if (declaredLength > maxDocumentBytes) {
      await response.body?.cancel();
      throw new DocumentFetchError(false, `document ${documentId} is larger than ${maxDocumentBytes} bytes`);
    }
    const content = Buffer.from(await response.arrayBuffer());
    if (content.length > maxDocumentBytes) {
      throw new DocumentFetchError(false, `document ${documentId} is larger than ${maxDocumentBytes} bytes`);
    }
    const sha256 = createHash('sha256').update(content).digest('hex');
    const expected = sha256FromReprDigest(response.headers.get('repr-digest'));
    if (!expected) {
      throw new DocumentFetchError(true, `document ${documentId} came without a sha-256 Repr-Digest`);
    }
    if (expected !== sha256) {
      throw new DocumentFetchError(true, `document ${documentId} does not match its Repr-Digest`);
    }
    return {
      documentId,
      fileName:
        fileNameFromContentDisposition(response.headers.get('content-disposition')) ??
        defaultFileName(documentId, mediaType),
      mediaType,
      size: content.length,
      sha256,
      content,
    };
  }
}
