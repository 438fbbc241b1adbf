import { tracedFetch } from '@umg/tracing';
import { ExchangeRecorder, sha256Hex } from '@umg/exchange-log';
import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import CircuitBreaker from 'opossum';
import type { Logger } from '@umg/logging';
import { currentCorrelation } from '@umg/logging';
import { PlatformMetrics, SERVICE_LOGGER } from '@umg/platform';
import type { DeliveryConfig } from '../config';
import { DELIVERY_CONFIG } from '../delivery-config.token';
import { EDeliveryCallError } from './e-delivery-call.error';
import type {
  EDeliveryBlob,
  EDeliveryMessageStatus,
  EDeliveryProfile,
  EDeliverySendMessageRequest,
} from './e-delivery-wire';

const eDeliveryFetch = tracedFetch('e-delivery');

interface Answer {
  status: number;
  body: unknown;
}

interface Call {
  method: 'GET' | 'POST';
  path: string;
  body?: Buffer | string;
  headers?: Record<string, string>;
}

/**
 * e-delivery's integration API: every call has a deadline and goes through one circuit breaker,
 * so while e-delivery is down the worker fails fast instead of piling up calls that time out.
 * Retries are not made here: the caller's durable queue reschedules the work with backoff.
 */
@Injectable()
export class EDeliveryClient implements OnModuleDestroy {
  private readonly breaker: CircuitBreaker<[Call], Answer>;

  constructor(
    @Inject(DELIVERY_CONFIG) private readonly config: DeliveryConfig,
    @Inject(SERVICE_LOGGER) logger: Logger,
    private readonly exchanges: ExchangeRecorder,
    @Inject(PlatformMetrics) metrics: PlatformMetrics,
  ) {
    this.breaker = new CircuitBreaker((call: Call) => this.perform(call), {
      timeout: false, // each call has its own AbortSignal deadline
      resetTimeout: config.E_DELIVERY_BREAKER_RESET_MS,
      errorThresholdPercentage: 50,
      volumeThreshold: 5,
      rollingCountTimeout: 30_000,
      // A refused request says nothing about e-delivery's health.
      errorFilter: (error: unknown) => error instanceof EDeliveryCallError && !error.transient,
    });
    this.breaker.on('open', () => logger.warn('e-delivery circuit breaker open'));
    this.breaker.on('halfOpen', () => logger.info('e-delivery circuit breaker half-open: trying one call'));
    this.breaker.on('close', () => logger.info('e-delivery circuit breaker closed'));
    metrics.upstreamCircuit('e-delivery', () => this.breaker.closed);
  }

  onModuleDestroy(): void {
    this.breaker.shutdown();
  }

  /** The profile by its id, or else by the person's identifier; `null` when they have none. */
  async findProfile(profileId: string | null, identifier: string): Promise<EDeliveryProfile | null> {
    const answer = profileId
      ? await this.call({ method: 'GET', path: `/api/v1/profiles/${encodeURIComponent(profileId)}` })
      : await this.call({
          method: 'GET',
          path: `/api/v1/profiles/search?identifier=${encodeURIComponent(identifier)}`,
        });
    if (answer.status === 404) return null;
    return this.expect<EDeliveryProfile>(answer, [200], 'profile look-up');
  }

  /** Uploads a document; e-delivery answers with its malware scan and signature check. */
  async uploadBlob(fileName: string, mediaType: string, content: Buffer): Promise<EDeliveryBlob> {
    const answer = await this.call({
      method: 'POST',
      path: '/api/v1/blobs',
      body: content,
      headers: { 'Content-Type': mediaType, 'X-File-Name': encodeURIComponent(fileName) },
    });
    return this.expect<EDeliveryBlob>(answer, [200, 201], 'blob upload');
  }

  async sendMessage(request: EDeliverySendMessageRequest): Promise<EDeliveryMessageStatus> {
    const answer = await this.call({
      method: 'POST',
      path: '/api/v1/messages',
      body: JSON.stringify(request),
      headers: { 'Content-Type': 'application/json' },
    });
    // 200: e-delivery recognised the additionalIdentifier and answers the message sent before.
    return this.expect<EDeliveryMessageStatus>(answer, [200, 201], 'send message');
  }

  async messageStatus(messageId: string): Promise<EDeliveryMessageStatus> {
    const answer = await this.call({ method: 'GET', path: `/api/v1/messages/${encodeURIComponent(messageId)}` });
    return this.expect<EDeliveryMessageStatus>(answer, [200], 'message status');
  }

  private async call(call: Call): Promise<Answer> {
    try {
      return await this.breaker.fire(call);
    } catch (error) {
      if (error instanceof EDeliveryCallError) throw error;
      if ((error as { code?: string }).code === 'EOPENBREAKER') {
        throw new EDeliveryCallError(true, null, 'e-delivery circuit breaker is open (e-delivery kept failing)', false);
      }
      throw error;
    }
  }

  /** One HTTP exchange; throws only for what should count against e-delivery's health. */
  private async perform(call: Call): Promise<Answer> {
    const correlation = currentCorrelation();
    const exchange = {
      party: 'e-delivery',
      direction: 'outbound' as const,
      // The route, not the ids in it: message and profile ids stay out of the log.
      operation: `${call.method} ${call.path.replace(/\/[^/?]*[0-9][^/?]*/g, '/{id}').split('?')[0]}`,
      requestHash: sha256Hex(call.body),
    };
    let response: Response;
    try {
      response = await eDeliveryFetch(`${this.config.E_DELIVERY_URL}${call.path}`, {
        method: call.method,
        headers: {
          Accept: 'application/json',
          ...(correlation ? { 'x-correlation-id': correlation.correlationId } : {}),
          ...call.headers,
        },
        body: call.body,
        signal: AbortSignal.timeout(this.config.E_DELIVERY_TIMEOUT_MS),
      });
      this.exchanges.record({ ...exchange, outcome: String(response.status) });
    } catch (error) {
      this.exchanges.record({ ...exchange, outcome: 'unreachable' });
      const cause = error instanceof Error ? error.message : String(error);
      throw new EDeliveryCallError(true, null, `e-delivery unreachable (${call.method} ${call.path}): ${cause}`);
    }
    const text = await response.text().catch(() => '');
    if (response.status >= 500 || response.status === 429 || response.status === 408) {
      throw new EDeliveryCallError(true, response.status, `e-delivery answered ${response.status} to ${call.method}`);
    }
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      // not JSON: kept as text for the error message
    }
    return { status: response.status, body };
  }

  private expect<T>(answer: Answer, ok: number[], what: string): T {
    if (ok.includes(answer.status)) return answer.body as T;
    const detail = (answer.body as { detail?: string } | null)?.detail ?? '';
    throw new EDeliveryCallError(
      false,
      answer.status,
      `e-delivery refused the ${what} (${answer.status}) ${detail}`.trim(),
    );
  }
}
