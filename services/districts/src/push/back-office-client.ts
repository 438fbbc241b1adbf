import { ExchangeRecorder, sha256Hex } from '@umg/exchange-log';
import { Inject, Injectable } from '@nestjs/common';
import type { DistrictsConfig } from '../config';
import { DISTRICTS_CONFIG } from '../tokens';
import type { BackOfficeProfile } from '../registry/district-record';
import { type BackOfficeAnswer, DeliveryFailure, failureForStatus } from './back-office-answer';
import { signedHeaders } from './hmac-signature';
import type { PushMessage } from './pushed-application';
import { BackOfficeEndpointPolicy, EndpointRefused } from './back-office-endpoint-policy';
import { AnswerTooLarge, type GuardedAnswer, guardedPost } from './guarded-post';
import { buildSoapRequest, parseSoapAnswer, soapMappingSchema } from './soap-mapping';
import { gatewayAnswerSchema, toBackOfficeAnswer } from './mappings/answered-result';
import { jsonPushMappingSchema, MappingFailure, mappedAnswer, mappedRequest } from './mappings/json-push-mapping';
import { DistrictSecretStore } from '../secrets/district-secret-store';

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
        return this.pushJson(profile, secret, message, options);
      case 'push_soap':
        return this.pushSoap(profile, secret, message, options);
      case 'pull':
        throw new DeliveryFailure('a pull district is never pushed to', true);
    }
  }

  /** The district's current secret from the store, read at every push so a rotation applies within seconds. */
  private async secretOf(districtCode: string): Promise<string> {
    const secret = await this.secrets.current(districtCode);
    if (!secret) throw new DeliveryFailure(`no secret is set for ${districtCode}; an administrator sets one`, true);
    return secret;
  }

  /**
   * A JSON push: the gateway's own PushMessage and answer when the profile has no mapping, or the
   * district's own request and answer shapes by its JSONata mapping. A mapping that fails on a
   * real message or answer parks the push with the expression and why.
   */
  private async pushJson(
    profile: BackOfficeProfile,
    secret: string,
    message: PushMessage,
    options: PushOptions,
  ): Promise<BackOfficeAnswer> {
    const mapping = profile.mapping ? jsonPushMappingSchema.safeParse(profile.mapping) : undefined;
    if (mapping && !mapping.success) {
      throw new DeliveryFailure(`the JSON mapping is not valid: ${mapping.error.message.slice(0, 300)}`, true);
    }
    try {
      const body = JSON.stringify(mapping ? await mappedRequest(mapping.data!, message) : message);
      const text = await this.post(
        profile.endpoint!,
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
      if (mapping) return await mappedAnswer(mapping.data!, parsed, message);
      const answer = gatewayAnswerSchema.safeParse(parsed);
      if (!answer.success)
        throw new DeliveryFailure(`answer does not match: ${answer.error.message.slice(0, 300)}`, true);
      return toBackOfficeAnswer(answer.data);
    } catch (error) {
      if (error instanceof MappingFailure) throw new DeliveryFailure(`mapping: ${error.message}`.slice(0, 1000), true);
      throw error;
    }
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
