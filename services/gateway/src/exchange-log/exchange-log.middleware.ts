import { createHash } from 'node:crypto';
import { Injectable, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { canonicalEncoding, ExchangeRecorder, type RecordedExchange } from '@umg/exchange-log';
import { currentCorrelation } from '@umg/logging';
import type { DistrictPrincipal } from '../auth/district-principal';
import type { OperatorPrincipal } from '../operators/operator-principal';
import { EmptyPolls, isEmptyPoll } from './empty-polls';

const readMethods = new Set(['GET', 'HEAD', 'OPTIONS']);
/** Longest a write's answer waits for its record (group commit takes milliseconds normally). */
const maxHoldMs = 5_000;
const applicationInPath = /\/applications\/([0-9a-fA-F-]{36})(?:[/?]|$)/;
const districtInPath = /\/districts\/([a-z][a-z-]{0,63})(?:[/?]|$)/;

/**
 * Appends every district API exchange and every operator action to the gateway's signed exchange
 * log: who (district credential or operator), what (route template, the application and district
 * it concerns, the hash of its query, body and file), the operator's stated reason, the status.
 *
 * A write's answer is held until its record is committed (group commit keeps that cheap), so an
 * acknowledged write is in the log; a read is recorded once answered, except a poll that found
 * nothing, which is counted into a periodic summary record (EmptyPolls). A record that cannot be
 * written is counted (`umg_exchange_log_append_failures_total`, alerted on) and logged, never silent.
 */
@Injectable()
export class ExchangeLogMiddleware implements NestMiddleware {
  constructor(
    private readonly recorder: ExchangeRecorder,
    private readonly emptyPolls: EmptyPolls,
  ) {}

  use(request: Request, response: Response, next: NextFunction): void {
    const occurredAt = new Date();
    const requestId = currentCorrelation()?.correlationId ?? 'unknown';
    const record = (): RecordedExchange => ({ occurredAt, requestId, ...exchangeOf(request, response) });
    if (readMethods.has(request.method)) {
      response.on('finish', () => {
        if (!isEmptyPoll(response)) return void this.recorder.recordNow(record());
        const { party, operation, districtCode } = partiesOf(request);
        this.emptyPolls.count({
          occurredAt,
          requestId,
          party,
          operation,
          districtCode,
          request: requestEncoding(request),
        });
      });
    } else {
      const end = response.end.bind(response) as (...args: unknown[]) => Response;
      let recording = false;
      response.end = ((...args: unknown[]) => {
        if (recording) return end(...args);
        recording = true;
        // Bounded: a database that hangs must not hold answers for ever. A record still pending
        // when the bound passes is written or, failing that, counted as failed all the same.
        const bound = new Promise((done) => setTimeout(done, maxHoldMs).unref());
        void Promise.race([this.recorder.recordNow(record()), bound]).finally(() => end(...args));
        return response;
      }) as Response['end'];
    }
    next();
  }
}

function exchangeOf(request: Request, response: Response): Omit<RecordedExchange, 'occurredAt' | 'requestId'> {
  const { party, operation, districtCode, operator } = partiesOf(request);
  const body = request.body as Record<string, unknown> | undefined;
  return {
    party,
    direction: 'inbound',
    operation,
    // What was asked, without storing it: the query (a read's whole request), the body, the file.
    requestHash: createHash('sha256').update(requestEncoding(request)).digest('hex'),
    outcome: String(response.statusCode),
    applicationId: applicationInPath.exec(request.originalUrl)?.[1]?.toLowerCase() ?? null,
    districtCode,
    // An operator's action says why (the operator's words about the action, not about a person).
    detail: operator && typeof body?.reason === 'string' ? `reason: ${body.reason.slice(0, 300)}` : null,
  };
}

/** Who asked (district credential or operator), by which route, about which district. */
function partiesOf(request: Request) {
  const user = (request as Request & { user?: DistrictPrincipal | OperatorPrincipal }).user;
  const district = user && 'clientId' in user ? user : undefined;
  const operator = user && 'username' in user ? user : undefined;
  const route = (request.route as { path?: string } | undefined)?.path ?? request.path;
  return {
    party: district ? `district:${district.clientId}` : operator ? `operator:${operator.username}` : 'anonymous',
    operation: `${request.method} ${route}`,
    districtCode: district?.districtCode ?? districtInPath.exec(request.originalUrl)?.[1] ?? null,
    operator,
  };
}

/** What was asked, as the bytes its hash is taken over: the query, the body, the uploaded file's hash. */
function requestEncoding(request: Request): Buffer {
  const path = request.originalUrl;
  const query = path.includes('?') ? path.slice(path.indexOf('?') + 1) : '';
  // Result uploads are streamed to disk and hashed on the way (result-upload-storage.ts).
  const file = (request as Request & { file?: { sha256?: string } }).file;
  const body = request.body as Record<string, unknown> | undefined;
  return canonicalEncoding('umg-exchange-request/v1', [query, JSON.stringify(body ?? null), file?.sha256 ?? null]);
}
