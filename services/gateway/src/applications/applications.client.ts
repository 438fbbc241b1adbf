import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { Inject, Injectable } from '@nestjs/common';
import createClient, { type Client } from 'openapi-fetch';
import type {
  Application,
  ApplicationChangePage,
  ApplicationPage,
  ApplicationsInternal,
  ApplicationsInternalPaths,
  HandOverRequest,
  RefuseApplicationRequest,
  RegisterApplicationRequest,
  RequestPaymentAgainRequest,
  ReturnForCorrectionsRequest,
  StartProcessingRequest,
} from '@umg/contracts';
import { currentCorrelation } from '@umg/logging';
import { serviceFetch, ServiceTokenIssuer } from '@umg/platform';
import { tracedFetch } from '@umg/tracing';
import type { DistrictPrincipal } from '../auth/district-principal';
import type { OperatorPrincipal } from '../operators/operator-principal';
import type { GatewayConfig } from '../config';
import { GATEWAY_CONFIG } from '../gateway-config.token';
import type { StoredAnswer } from '../idempotency/stored-answer';
import { unreachable, upstreamProblem } from './upstream-problem';

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

export interface UpstreamFile {
  status: number;
  headers: Record<string, string>;
  content: Buffer;
}

/** Typed client of the applications service's internal API (types generated from contracts/). */
@Injectable()
export class ApplicationsClient {
  private readonly client: Client<ApplicationsInternalPaths>;
  private readonly applicationsFetch: typeof fetch;

  constructor(
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    private readonly tokens: ServiceTokenIssuer,
  ) {
    this.applicationsFetch = serviceFetch(tokens, 'applications', tracedFetch('applications'));
    this.client = createClient<ApplicationsInternalPaths>({
      baseUrl: config.APPLICATIONS_URL,
      fetch: this.applicationsFetch,
    });
  }

  async getApplication(district: DistrictPrincipal, applicationId: string): Promise<Application> {
    const answer = await this.call(() =>
      this.client.GET('/internal/v1/districts/{districtCode}/applications/{applicationId}', {
        params: { path: { districtCode: district.districtCode, applicationId } },
        ...this.options(),
      }),
    );
    if (answer.error !== undefined || !answer.data) throw upstreamProblem(answer.response.status, answer.error);
    return answer.data;
  }

  async listApplications(district: DistrictPrincipal, query: Record<string, unknown>): Promise<ApplicationPage> {
    const answer = await this.call(() =>
      this.client.GET('/internal/v1/districts/{districtCode}/applications', {
        params: { path: { districtCode: district.districtCode }, query: query as never },
        ...this.options(),
      }),
    );
    if (answer.error !== undefined || !answer.data) throw upstreamProblem(answer.response.status, answer.error);
    return answer.data;
  }

  /** The district's changes feed; the call may wait up to `wait` seconds on top of the usual timeout. */
  async listApplicationChanges(
    district: DistrictPrincipal,
    query: { after?: string; wait?: number; limit?: number },
  ): Promise<ApplicationChangePage> {
    const waitMs = (query.wait ?? 0) * 1000;
    const answer = await this.call(() =>
      this.client.GET('/internal/v1/districts/{districtCode}/application-changes', {
        params: { path: { districtCode: district.districtCode }, query },
        ...this.options(),
        signal: AbortSignal.timeout(this.config.UPSTREAM_TIMEOUT_MS + waitMs),
      }),
    );
    if (answer.error !== undefined || !answer.data) throw upstreamProblem(answer.response.status, answer.error);
    return answer.data;
  }

  /** Aggregate figures of every district and service; the query (at-risk days, hours) is checked there. */
  async statistics(query: Record<string, unknown> = {}): Promise<ApplicationStatistics> {
    const answer = await this.call(() =>
      this.client.GET('/internal/v1/statistics', { params: { query: query as never }, ...this.options() }),
    );
    if (answer.error !== undefined || !answer.data) throw upstreamProblem(answer.response.status, answer.error);
    return answer.data;
  }

  /** A district decision; the answer (success or problem) is passed on as it came. */
  async decide(
    path: DecisionPath,
    district: DistrictPrincipal,
    applicationId: string,
    ifMatch: string | undefined,
    body: DecisionBody,
  ): Promise<StoredAnswer> {
    const options = await this.asDistrict(district, ifMatch);
    const answer = await this.call(() =>
      this.client.POST(path, {
        params: {
          path: { districtCode: district.districtCode, applicationId },
          header: { 'If-Match': ifMatch ?? '' },
        },
        body: body as never,
        ...options,
      }),
    );
    return toStoredAnswer(answer.response, answer.data ?? answer.error);
  }

  /** Forwards a result upload as multipart, after the gateway's own checks, streamed from its temp file. */
  async submitResult(
    district: DistrictPrincipal,
    applicationId: string,
    ifMatch: string | undefined,
    metadata: string,
    documentFile: string,
    fileName: string,
  ): Promise<StoredAnswer> {
    const options = await this.asDistrict(district, ifMatch);
    return this.uploadResult(district.districtCode, applicationId, options, metadata, documentFile, fileName);
  }

  /** An operator's replacement of a blocked result, on the district's behalf (the timeline names the operator). */
  async replaceResultAsOperator(
    operator: OperatorPrincipal,
    districtCode: string,
    applicationId: string,
    ifMatch: string | undefined,
    metadata: string,
    documentFile: string,
    fileName: string,
  ): Promise<StoredAnswer> {
    const options = await this.asOperator(operator, ifMatch);
    return this.uploadResult(districtCode, applicationId, options, metadata, documentFile, fileName);
  }

  /** An operator records a desk handover on the district's behalf. */
  async handOverAsOperator(
    operator: OperatorPrincipal,
    districtCode: string,
    applicationId: string,
    ifMatch: string | undefined,
    body: HandOverRequest,
  ): Promise<StoredAnswer> {
    const options = await this.asOperator(operator, ifMatch);
    const answer = await this.call(() =>
      this.client.POST('/internal/v1/districts/{districtCode}/applications/{applicationId}/handover', {
        params: { path: { districtCode, applicationId }, header: { 'If-Match': ifMatch ?? '' } },
        body,
        ...options,
      }),
    );
    return toStoredAnswer(answer.response, answer.data ?? answer.error);
  }

  /** An operator's search across districts. */
  async findApplications(operator: OperatorPrincipal, query: Record<string, unknown>): Promise<ApplicationPage> {
    const options = await this.asOperator(operator);
    const answer = await this.call(() =>
      this.client.GET('/internal/v1/applications', { params: { query: query as never }, ...options }),
    );
    if (answer.error !== undefined || !answer.data) throw upstreamProblem(answer.response.status, answer.error);
    return answer.data;
  }

  /** Any district's application, for an operator. */
  async getApplicationForOperator(operator: OperatorPrincipal, applicationId: string): Promise<Application> {
    const options = await this.asOperator(operator);
    const answer = await this.call(() =>
      this.client.GET('/internal/v1/applications/{applicationId}', {
        params: { path: { applicationId } },
        ...options,
      }),
    );
    if (answer.error !== undefined || !answer.data) throw upstreamProblem(answer.response.status, answer.error);
    return answer.data;
  }

  private async uploadResult(
    districtCode: string,
    applicationId: string,
    { headers, signal }: { headers: Record<string, string>; signal: AbortSignal },
    metadata: string,
    documentFile: string,
    fileName: string,
  ): Promise<StoredAnswer> {
    const { body, contentType, length } = await multipartFromFile(metadata, documentFile, fileName);
    const response = await this.call(() =>
      this.applicationsFetch(
        `${this.config.APPLICATIONS_URL}/internal/v1/districts/${encodeURIComponent(districtCode)}/applications/${encodeURIComponent(applicationId)}/result`,
        {
          method: 'POST',
          body,
          duplex: 'half',
          headers: {
            ...headers,
            'Content-Type': contentType,
            'Content-Length': String(length),
          },
          signal,
        } as RequestInit,
      ),
    );
    return toStoredAnswer(response, await response.json().catch(() => undefined));
  }

  async attachment(district: DistrictPrincipal, applicationId: string, attachmentId: string): Promise<UpstreamFile> {
    const { headers, signal } = this.options();
    const response = await this.call(() =>
      this.applicationsFetch(
        `${this.config.APPLICATIONS_URL}/internal/v1/districts/${encodeURIComponent(district.districtCode)}/applications/${encodeURIComponent(applicationId)}/attachments/${encodeURIComponent(attachmentId)}`,
        { headers, signal },
      ),
    );
    if (!response.ok) throw upstreamProblem(response.status, await response.json().catch(() => undefined));
    const passed: Record<string, string> = {};
    for (const name of ['content-type', 'repr-digest', 'content-disposition']) {
      const value = response.headers.get(name);
      if (value) passed[name] = value;
    }
    return { status: 200, headers: passed, content: Buffer.from(await response.arrayBuffer()) };
  }

  /** A decision's options: the token acts for the district system (the timeline's actor). */
  private async asDistrict(district: DistrictPrincipal, ifMatch: string | undefined) {
    const options = this.options(ifMatch);
    const authorization = await this.tokens.authorization('applications', {
      actor: { districtCode: district.districtCode, clientId: district.clientId },
    });
    return { ...options, headers: { ...options.headers, authorization } };
  }

  /** The options of a call made for a signed-in operator (their session's username and role). */
  private async asOperator(operator: OperatorPrincipal, ifMatch?: string) {
    const options = this.options(ifMatch);
    const authorization = await this.tokens.authorization('applications', {
      operator: { id: operator.username, role: operator.role },
    });
    return { ...options, headers: { ...options.headers, authorization } };
  }

  private options(ifMatch?: string) {
    const correlation = currentCorrelation();
    return {
      headers: {
        ...(correlation ? { 'x-correlation-id': correlation.correlationId } : {}),
        ...(ifMatch ? { 'If-Match': ifMatch } : {}),
      },
      signal: AbortSignal.timeout(this.config.UPSTREAM_TIMEOUT_MS),
    };
  }

  private async call<T>(request: () => Promise<T>): Promise<T> {
    try {
      return await request();
    } catch (error) {
      throw unreachable(error);
    }
  }
}

function toStoredAnswer(response: Response, body: unknown): StoredAnswer {
  const headers: Record<string, string> = {};
  const etag = response.headers.get('etag');
  if (etag) headers.ETag = etag;
  if (response.status >= 500) throw upstreamProblem(response.status, body);
  return { status: response.status, headers, body };
}

/**
 * The multipart body of a result upload, read from disk in 64 KiB chunks as it is sent: the
 * document is never whole in memory (a FormData of a file-backed Blob was, measured by the attack).
 */
async function multipartFromFile(
  metadata: string,
  file: string,
  fileName: string,
): Promise<{ body: ReadableStream<Uint8Array>; contentType: string; length: number }> {
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
    body: Readable.toWeb(Readable.from(parts())) as ReadableStream<Uint8Array>,
    contentType: `multipart/form-data; boundary=${boundary}`,
    length: head.length + size + tail.length,
  };
}
