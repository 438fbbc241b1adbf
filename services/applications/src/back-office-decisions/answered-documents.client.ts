import { Inject, Injectable } from '@nestjs/common';
import { currentCorrelation } from '@umg/logging';
import { PoisonMessageError } from '@umg/messaging';
import { serviceFetch, ServiceTokenIssuer } from '@umg/platform';
import { tracedFetch } from '@umg/tracing';
import { APPLICATIONS_CONFIG } from '../applications-config.token';
import type { ApplicationsConfig } from '../config';
import { RESULT_DOCUMENT_MAX_BYTES } from '@umg/contracts';

/**
 * Takes a result document a push district's back office answered with from the districts
 * service, which holds it (claim check: documents do not travel on Kafka). An unreachable
 * service is passing trouble (the message is retried); a document it does not have is poison.
 */
@Injectable()
export class AnsweredDocumentsClient {
  private readonly districtsFetch: typeof fetch;

  constructor(
    @Inject(APPLICATIONS_CONFIG) private readonly config: ApplicationsConfig,
    tokens: ServiceTokenIssuer,
  ) {
    this.districtsFetch = serviceFetch(tokens, 'districts', tracedFetch('districts'));
  }

  async fetch(documentId: string): Promise<Buffer> {
    const correlation = currentCorrelation();
    const response = await this.districtsFetch(
      `${this.config.DISTRICTS_URL}/internal/v1/back-office-documents/${encodeURIComponent(documentId)}`,
      {
        headers: correlation ? { 'x-correlation-id': correlation.correlationId } : {},
        signal: AbortSignal.timeout(this.config.DISTRICTS_TIMEOUT_MS),
      },
    );
    if (response.status === 404) {
      await response.body?.cancel();
      throw new PoisonMessageError('result_document_missing', `the districts service has no document ${documentId}`);
    }
    if (!response.ok) {
      await response.body?.cancel();
      throw new Error(`districts service answered ${response.status} for document ${documentId}`);
    }
    const content = Buffer.from(await response.arrayBuffer());
    // The size is checked again with the rest of the result rules; this only bounds what is held.
    if (content.length > RESULT_DOCUMENT_MAX_BYTES + 1) {
      throw new PoisonMessageError('result_document_refused', `document ${documentId} is larger than 10 MiB`);
    }
    return content;
  }
}
