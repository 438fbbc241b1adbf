import { ExchangeRecorder, sha256Hex } from '@umg/exchange-log';
import { Inject, Injectable } from '@nestjs/common';
import { z } from 'zod';
import type { DistrictsConfig } from '../config';
import { DISTRICTS_CONFIG } from '../tokens';
import type { BackOfficeProfile } from '../registry/district-record';
import { type BackOfficeAnswer, DeliveryFailure, failureForStatus } from './back-office-answer';
import { signedHeaders } from './hmac-signature';
import type { PushMessage } from './pushed-application';
import { BackOfficeEndpointPolicy, EndpointRefused } from './back-office-endpoint-policy';
import { AnswerTooLarge, type GuardedAnswer, guardedPost } from './guarded-post';
import { buildSoapRequest, parseSoapAnswer, soapMappingSchema } from './soap-mapping';
import { DistrictSecretStore } from '../secrets/district-secret-store';

const reasonSchema = z.object({ code: z.string().min(1).max(64).optional(), message: z.string().min(1).max(1000) });

/** The JSON answer of a push_json back office: a decision at once, or an acknowledgement. */
const jsonAnswerSchema = z.object({
  decision: z.enum(['register', 'return_for_corrections', 'refuse', 'start_processing']).optional(),
  registrationNumber: z.string().min(1).max(64).optional(),
  reasons: z.array(reasonSchema).max(20).optional(),
  decidedAt: z.iso.datetime({ offset: true }).optional(),
  backOfficeReference: z.string().min(1).max(128),
});

export interface PushOptions {
  timeoutMs: number;
  /** Conformance only: sign with a wrong secret, to see the back office refuse it. */
  tamperSignature?: boolean;
}

/**
 * Speaks to one district's back office in its style: HMAC-signed JSON, or SOAP 1.1 built by the
 * district's mapping. Failures say whether a retry can help.
 */
@Injectable()
export class BackOfficeClient {
  constructor(
    private readonly exchanges: ExchangeRecorder,
    private readonly policy: BackOfficeEndpointPolicy,
    private readonly secrets: DistrictSecretStore,
    @Inject(DISTRICTS_CONFIG) private readonly config: DistrictsConfig,
  ) {}

  async push(profile: BackOfficeProfile, message: PushMessage, options: PushOptions): Promise<BackOfficeAnswer> {
    if (!profile.endpoint) throw new DeliveryFailure('the profile has no endpoint', true);
    const secret = await this.secretOf(message.districtCode);
    switch (profile.adapterStyle) {
      case 'push_json':
        return this.pushJson(profile.endpoint, secret, message, options);
      case 'push_soap':
        return this.pushSoap(profile, secret, message, options);
      case 'pull':
        if (message.kind !== 'change') throw new DeliveryFailure('a pull district is never pushed to', true);
        return this.postChange(profile.endpoint, secret, message, options);
    }
  }

  /** The district's current secret from the store, read at every push so a rotation applies within seconds. */
  private async secretOf(districtCode: string): Promise<string> {
    const secret = await this.secrets.current(districtCode);
    if (!secret) throw new DeliveryFailure(`no secret is set for ${districtCode}; an administrator sets one`, true);
    return secret;
  }

  private async pushJson(endpoint: string, secret: string, message: PushMessage, options: PushOptions) {
    const body = JSON.stringify(message);
    const text = await this.post(
      endpoint,
      body,
      {
        'Content-Type': 'application/json',
        'X-UMG-Delivery-Id': message.deliveryId,
        ...signedHeaders(options.tamperSignature ? `${secret}-tampered` : secret, body),
      },
      options.timeoutMs,
    );
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new DeliveryFailure('answer is not JSON', true);
    }
    const answer = jsonAnswerSchema.safeParse(parsed);
    if (!answer.success)
      throw new DeliveryFailure(`answer does not match: ${answer.error.message.slice(0, 300)}`, true);
    if (answer.data.decision === 'register' && !answer.data.registrationNumber) {
      throw new DeliveryFailure('a registration answer without a registration number', true);
    }
    return answer.data;
  }

  /**
   * An entry of a pull district's changes feed to its webhook, signed like a push: a 2xx is all
   * the answer there is (the district acts through the API, as with the feed).
   */
  private async postChange(endpoint: string, secret: string, message: PushMessage, options: PushOptions) {
    const body = JSON.stringify({
      deliveryId: message.deliveryId,
      districtCode: message.districtCode,
      items: [message.application],
    });
    await this.post(
      endpoint,
      body,
      {
        'Content-Type': 'application/json',
        'X-UMG-Delivery-Id': message.deliveryId,
        ...signedHeaders(options.tamperSignature ? `${secret}-tampered` : secret, body),
      },
      options.timeoutMs,
    );
    return { backOfficeReference: `change:${message.deliveryId}` };
  }

  private async pushSoap(profile: BackOfficeProfile, secret: string, message: PushMessage, options: PushOptions) {
    const mapping = soapMappingSchema.safeParse(profile.mapping);
    if (!mapping.success) throw new DeliveryFailure(`the SOAP mapping is not valid: ${mapping.error.message}`, true);
    const body = buildSoapRequest(mapping.data, message);
    const text = await this.post(
      profile.endpoint!,
      body,
      {
        'Content-Type': 'text/xml; charset=utf-8',
        SOAPAction: `"${mapping.data.soapAction}"`,
        'X-UMG-Delivery-Id': message.deliveryId,
        ...signedHeaders(options.tamperSignature ? `${secret}-tampered` : secret, body),
      },
      options.timeoutMs,
    );
    return parseSoapAnswer(mapping.data, message.kind, text);
  }

  /**
   * One POST under the endpoint policy (https, public addresses, no redirects, a capped answer) with
   * a deadline; a 2xx body comes back, anything else is a classified failure.
   */
  private async post(url: string, body: string, headers: Record<string, string>, timeoutMs: number): Promise<string> {
    const exchange = {
      party: `back-office:${new URL(url).host}`,
      direction: 'outbound' as const,
      operation: `POST ${new URL(url).pathname}`,
      requestHash: sha256Hex(body),
    };
    let response: GuardedAnswer;
    try {
      const target = this.policy.check(url);
      response = await guardedPost(target, body, headers, {
        policy: this.policy,
        timeoutMs,
        maxAnswerBytes: this.config.PUSH_MAX_ANSWER_BYTES,
      });
      this.exchanges.record({ ...exchange, outcome: String(response.status) });
    } catch (error) {
      if (error instanceof EndpointRefused || error instanceof AnswerTooLarge) {
        this.exchanges.record({ ...exchange, outcome: 'refused' });
        // The profile must change before a push can succeed: park it for an operator.
        throw new DeliveryFailure(error.message, true);
      }
      this.exchanges.record({ ...exchange, outcome: 'unreachable' });
      const reason =
        error instanceof Error && error.name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : String(error);
      throw new DeliveryFailure(`back office unreachable: ${reason}`, false);
    }
    const text = response.text;
    const ok = response.status >= 200 && response.status < 300;
    // A SOAP fault comes with 500 but is the back office's answer, not an outage.
    if (response.status === 500 && /<(\w+:)?Fault[\s>]/.test(text)) return text;
    if (!ok) throw failureForStatus(response.status, text);
    return text;
  }
}
