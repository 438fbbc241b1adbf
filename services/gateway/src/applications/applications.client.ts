import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import type {
  Application,
  ApplicationChangePage,
  ApplicationPage,
  ApplicationsInternal,
  Feedback,
  HandOverRequest,
  RefuseApplicationRequest,
  RegisterApplicationRequest,
  RequestPaymentAgainRequest,
  ReturnForCorrectionsRequest,
  StartProcessingRequest,
} from '@umg/contracts';
import { ServiceTokenIssuer } from '@umg/platform';
import type { DistrictPrincipal } from '../auth/district-principal';
import type { OperatorPrincipal } from '../operators/operator-principal';
import type { GatewayConfig } from '../config';
import { GATEWAY_CONFIG } from '../gateway-config.token';
import type { StoredAnswer } from '../idempotency/stored-answer';
import { encodePath, type OnBehalfOf, ServiceConnection, type UpstreamAnswer } from '../upstream/service-connection';
import { upstreamProblem } from './upstream-problem';

type DecisionPath =
  | '/internal/v1/districts/{districtCode}/applications/{applicationId}/registration'
  | '/internal/v1/districts/{districtCode}/applications/{applicationId}/return-for-corrections'
  | '/internal/v1/districts/{districtCode}/applications/{applicationId}/refusal'
  | '/internal/v1/districts/{districtCode}/applications/{applicationId}/processing'
  | '/internal/v1/districts/{districtCode}/applications/{applicationId}/payment-request'
  | '/internal/v1/districts/{districtCode}/applications/{applicationId}/handover';

export type DecisionBody =
  | RegisterApplicationRequest
  | ReturnForCorrectionsRequest
  | RefuseApplicationRequest
  | StartProcessingRequest
  | RequestPaymentAgainRequest
  | HandOverRequest;

export type ApplicationStatistics = ApplicationsInternal.components['schemas']['ApplicationStatistics'];
export type FeedbackSummary = ApplicationsInternal.components['schemas']['FeedbackSummary'];
export type FeedbackMonths = ApplicationsInternal.components['schemas']['FeedbackMonths'];
export type FeedbackCommentList = ApplicationsInternal.components['schemas']['FeedbackCommentList'];
export type FeedbackInvitation = Feedback.components['schemas']['FeedbackInvitation'];
export type FeedbackAnswer = Feedback.components['schemas']['FeedbackAnswer'];
export type FeedbackReceipt = Feedback.components['schemas']['FeedbackReceipt'];

export interface UpstreamFile {
  status: number;
  headers: Record<string, string>;
  content: Buffer;
}

/**
 * Client of the applications service's internal API (its types generated from contracts/), over a
 * pooled keep-alive connection (see ServiceConnection): the district API's reads cost one request
 * on an open socket.
 */
@Injectable()
export class ApplicationsClient implements OnApplicationShutdown {
  private readonly connection: ServiceConnection;

  constructor(
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    tokens: ServiceTokenIssuer,
  ) {
    this.connection = new ServiceConnection(
      'applications',
      config.APPLICATIONS_URL,
      tokens,
      config.UPSTREAM_TIMEOUT_MS,
    );
  }

  getApplication(district: DistrictPrincipal, applicationId: string): Promise<Application> {
    return this.connection.data({
      method: 'GET',
      path: encodePath`/internal/v1/districts/${district.districtCode}/applications/${applicationId}`,
    });
  }

  listApplications(district: DistrictPrincipal, query: Record<string, unknown>): Promise<ApplicationPage> {
    return this.connection.data({
      method: 'GET',
      path: encodePath`/internal/v1/districts/${district.districtCode}/applications`,
      query,
    });
  }

  /** The district's changes feed; the call may wait up to `wait` seconds on top of the usual timeout. */
  listApplicationChanges(
    district: DistrictPrincipal,
    query: { after?: string; wait?: number; limit?: number },
  ): Promise<ApplicationChangePage> {
    return this.connection.data({
      method: 'GET',
      path: encodePath`/internal/v1/districts/${district.districtCode}/application-changes`,
      query,
      timeoutMs: this.config.UPSTREAM_TIMEOUT_MS + (query.wait ?? 0) * 1000,
    });
  }

  /** Aggregate figures of every district and service; the query (at-risk days, hours) is checked there. */
  /** The feedback invitation of a link, by its token's hash (the token stays at the gateway). */
  feedbackInvitation(tokenHash: string): Promise<FeedbackInvitation> {
    return this.connection.data({ method: 'GET', path: encodePath`/internal/v1/feedback-invitations/${tokenHash}` });
  }

  answerFeedback(tokenHash: string, answer: FeedbackAnswer): Promise<FeedbackReceipt> {
    return this.connection.data({
      method: 'POST',
      path: encodePath`/internal/v1/feedback-invitations/${tokenHash}/answer`,
      json: answer,
    });
  }

  feedbackSummary(operator: OperatorPrincipal): Promise<FeedbackSummary> {
    return this.connection.data({
      method: 'GET',
      path: '/internal/v1/feedback/summary',
      onBehalfOf: asOperator(operator),
    });
  }

  feedbackMonths(): Promise<FeedbackMonths> {
    return this.connection.data({ method: 'GET', path: '/internal/v1/feedback/months' });
  }

  feedbackComments(operator: OperatorPrincipal, query: Record<string, unknown>): Promise<FeedbackCommentList> {
    return this.connection.data({
      method: 'GET',
      path: '/internal/v1/feedback/comments',
      query,
      onBehalfOf: asOperator(operator),
    });
  }

  statistics(query: Record<string, unknown> = {}): Promise<ApplicationStatistics> {
    return this.connection.data({ method: 'GET', path: '/internal/v1/statistics', query });
  }

  /** A district decision; the answer (success or problem) is passed on as it came. */
  async decide(
    path: DecisionPath,
    district: DistrictPrincipal,
    applicationId: string,
    ifMatch: string | undefined,
    body: DecisionBody,
  ): Promise<StoredAnswer> {
    return toStoredAnswer(
      await this.connection.call({
        method: 'POST',
        path: path
          .replace('{districtCode}', encodeURIComponent(district.districtCode))
          .replace('{applicationId}', encodeURIComponent(applicationId)),
        headers: ifMatchHeader(ifMatch),
        onBehalfOf: asDistrict(district),
        json: body,
      }),
    );
  }

  /** Forwards a result upload as multipart, after the gateway's own checks, streamed from its temp file. */
  submitResult(
    district: DistrictPrincipal,
    applicationId: string,
    ifMatch: string | undefined,
    metadata: string,
    documentFile: string,
    fileName: string,
  ): Promise<StoredAnswer> {
    return this.uploadResult(
      district.districtCode,
      applicationId,
      ifMatch,
      asDistrict(district),
      metadata,
      documentFile,
      fileName,
    );
  }

  /** An operator's replacement of a blocked result, on the district's behalf (the timeline names the operator). */
  replaceResultAsOperator(
    operator: OperatorPrincipal,
    districtCode: string,
    applicationId: string,
    ifMatch: string | undefined,
    metadata: string,
    documentFile: string,
    fileName: string,
  ): Promise<StoredAnswer> {
    return this.uploadResult(
      districtCode,
      applicationId,
      ifMatch,
      asOperator(operator),
      metadata,
      documentFile,
      fileName,
    );
  }

  /** An operator records a desk handover on the district's behalf. */
  async handOverAsOperator(
    operator: OperatorPrincipal,
    districtCode: string,
    applicationId: string,
    ifMatch: string | undefined,
    body: HandOverRequest,
  ): Promise<StoredAnswer> {
    return toStoredAnswer(
      await this.connection.call({
        method: 'POST',
        path: encodePath`/internal/v1/districts/${districtCode}/applications/${applicationId}/handover`,
        headers: ifMatchHeader(ifMatch),
        onBehalfOf: asOperator(operator),
        json: body,
      }),
    );
  }

  /** An operator's search across districts. */
  findApplications(operator: OperatorPrincipal, query: Record<string, unknown>): Promise<ApplicationPage> {
    return this.connection.data({
      method: 'GET',
      path: '/internal/v1/applications',
      query,
      onBehalfOf: asOperator(operator),
    });
  }

  /** Any district's application, for an operator. */
  getApplicationForOperator(operator: OperatorPrincipal, applicationId: string): Promise<Application> {
    return this.connection.data({
      method: 'GET',
      path: encodePath`/internal/v1/applications/${applicationId}`,
      onBehalfOf: asOperator(operator),
    });
  }

  async attachment(district: DistrictPrincipal, applicationId: string, attachmentId: string): Promise<UpstreamFile> {
    const answer = await this.connection.call({
      method: 'GET',
      path: encodePath`/internal/v1/districts/${district.districtCode}/applications/${applicationId}/attachments/${attachmentId}`,
      file: true,
    });
    return upstreamFile(answer, ['content-type', 'repr-digest', 'content-disposition']);
  }

  onApplicationShutdown(): Promise<void> {
    return this.connection.close();
  }

  private async uploadResult(
    districtCode: string,
    applicationId: string,
    ifMatch: string | undefined,
    onBehalfOf: OnBehalfOf,
    metadata: string,
    documentFile: string,
    fileName: string,
  ): Promise<StoredAnswer> {
    const { body, contentType, length } = await multipartFromFile(metadata, documentFile, fileName);
    return toStoredAnswer(
      await this.connection.call({
        method: 'POST',
        path: encodePath`/internal/v1/districts/${districtCode}/applications/${applicationId}/result`,
        headers: { ...ifMatchHeader(ifMatch), 'content-type': contentType, 'content-length': String(length) },
        onBehalfOf,
        stream: body,
      }),
    );
  }
}

/** A decision's token acts for the district system (the timeline's actor). */
function asDistrict(district: DistrictPrincipal): OnBehalfOf {
  return { actor: { districtCode: district.districtCode, clientId: district.clientId } };
}

/** A call made for a signed-in operator (their session's username and role). */
function asOperator(operator: OperatorPrincipal): OnBehalfOf {
  return { operator: { id: operator.username, role: operator.role } };
}

function ifMatchHeader(ifMatch: string | undefined): Record<string, string> {
  return ifMatch ? { 'if-match': ifMatch } : {};
}

/** A write's answer as the gateway passes it on (and stores it for retries); a 5xx is the gateway's own problem. */
function toStoredAnswer(answer: UpstreamAnswer): StoredAnswer {
  if (answer.status >= 500) throw upstreamProblem(answer.status, answer.body);
  const headers: Record<string, string> = {};
  const etag = answer.headers.etag;
  if (typeof etag === 'string') headers.ETag = etag;
  return { status: answer.status, headers, body: answer.body };
}

/** A file answer with the headers named passed on; any other answer is the service's problem. */
export function upstreamFile(answer: UpstreamAnswer, passedHeaders: string[]): UpstreamFile {
  if (answer.status !== 200) throw upstreamProblem(answer.status, answer.body);
  const headers: Record<string, string> = {};
  for (const name of passedHeaders) {
    const value = answer.headers[name];
    if (typeof value === 'string' && value) headers[name] = value;
  }
  return { status: 200, headers, content: Buffer.isBuffer(answer.body) ? answer.body : Buffer.alloc(0) };
}

/**
 * The multipart body of a result upload, read from disk in 64 KiB chunks as it is sent: the
 * document is never whole in memory (a FormData of a file-backed Blob was, measured by the attack).
 */
async function multipartFromFile(
  metadata: string,
  file: string,
  fileName: string,
): Promise<{ body: Readable; contentType: string; length: number }> {
  const boundary = `umg-${randomUUID()}`;
  // As browsers and undici escape a file name in a multipart header.
  const quoted = fileName.replace(/\r/g, '%0D').replace(/\n/g, '%0A').replace(/"/g, '%22');
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="metadata"\r\n\r\n${metadata}\r\n` +
      `--${boundary}\r\nContent-Disposition: form-data; name="document"; filename="${quoted}"\r\n` +
      'Content-Type: application/octet-stream\r\n\r\n',
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const { size } = await stat(file);
  async function* parts() {
    yield head;
    yield* createReadStream(file, { highWaterMark: 64 * 1024 });
    yield tail;
  }
  return {
    body: Readable.from(parts()),
    contentType: `multipart/form-data; boundary=${boundary}`,
    length: head.length + size + tail.length,
  };
}
