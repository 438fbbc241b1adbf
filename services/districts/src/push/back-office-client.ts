import { ExchangeRecorder, sha256Hex } from '@umg/exchange-log';
import { Inject, Injectable } from '@nestjs/common';
import type { DistrictsConfig } from '../config';
import { DISTRICTS_CONFIG } from '../tokens';
import type { BackOfficeProfile } from '../district/district-record';
import { type BackOfficeAnswer, PushFailure, failureForStatus } from './back-office-answer';
import { signedHeaders } from './hmac-signature';
import type { PushMessage } from './pushed-application';
import { BackOfficeEndpointPolicy, EndpointRefused } from './back-office-endpoint-policy';
import { AnswerTooLarge, type GuardedAnswer, guardedPost } from './guarded-post';
import { generateKeyPairSync } from 'node:crypto';
import { type EnvelopeSecurity, loadSigningIdentity, secureEnvelope } from '@umg/ws-security';
import { parseSoapMapping, type SoapTreeMapping, treeMappingOf } from './soap-mapping';
import { buildSoapRequest, soapActionHeaders } from './soap-request';
import { parseSoapAnswer } from './soap-answer';
import { envelopePrefix } from './soap-envelope';
import { gatewayAnswerSchema, toBackOfficeAnswer } from './mappings/answered-result';
import { jsonPushMappingSchema, MappingFailure, mappedAnswer, mappedRequest } from './mappings/json-push-mapping';
import { DistrictSecretStore } from '../secrets/district-secret-store';

export interface PushOptions {
  timeoutMs: number;
  /**
   * Conformance only: present wrong credentials, to see the back office refuse them — the
   * WS-Security the profile configures (a wrong password, a signature by a wrong key), else the
   * HMAC signature (a wrong secret).
   */
  tamperCredentials?: boolean;
}

/**
 * Speaks to one district's back office in its style: HMAC-signed JSON, or SOAP (1.1 or 1.2, with
 * the WS-Security its profile asks for) built by the district's mapping. Failures say whether a retry can help.
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
    if (!profile.endpoint) throw new PushFailure('the profile has no endpoint', true);
    const secret = await this.secretOf(message.districtCode);
    if (message.kind === 'change' && profile.adapterStyle !== 'pull') {
      // Queued while the district pulled; it has since moved to push and is told of changes by pushes.
      throw new PushFailure('a change notice goes only to a pull district’s webhook', true);
    }
    switch (profile.adapterStyle) {
      case 'push_json':
        return this.pushJson(profile, secret, message, options);
      case 'push_soap':
        return this.pushSoap(profile, secret, message, options);
      case 'pull':
        if (message.kind !== 'change') throw new PushFailure('a pull district is never pushed to', true);
        return this.postChange(profile.endpoint, secret, message, options);
    }
  }

  /** The district's current secret from the store, read at every push so a rotation applies within seconds. */
  private async secretOf(districtCode: string): Promise<string> {
    const secret = await this.secrets.current(districtCode);
    if (!secret) throw new PushFailure(`no secret is set for ${districtCode}; an administrator sets one`, true);
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
      throw new PushFailure(`the JSON mapping is not valid: ${mapping.error.message.slice(0, 300)}`, true);
    }
    try {
      const body = JSON.stringify(mapping ? await mappedRequest(mapping.data!, message) : message);
      const { text } = await this.post(
        profile.endpoint!,
        body,
        {
          'Content-Type': 'application/json',
          'X-UMG-Push-Id': message.pushId,
          ...signedHeaders(options.tamperCredentials ? `${secret}-tampered` : secret, body),
        },
        options.timeoutMs,
      );
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        throw new PushFailure('answer is not JSON', true);
      }
      if (mapping) return await mappedAnswer(mapping.data!, parsed, message);
      const answer = gatewayAnswerSchema.safeParse(parsed);
      if (!answer.success) throw new PushFailure(`answer does not match: ${answer.error.message.slice(0, 300)}`, true);
      return toBackOfficeAnswer(answer.data);
    } catch (error) {
      if (error instanceof MappingFailure) throw new PushFailure(`mapping: ${error.message}`.slice(0, 1000), true);
      throw error;
    }
  }

  /**
   * An entry of a pull district's changes feed to its webhook, signed like a push: a 2xx is all
   * the answer there is (the district acts through the API, as with the feed).
   */
  private async postChange(endpoint: string, secret: string, message: PushMessage, options: PushOptions) {
    const body = JSON.stringify({
      pushId: message.pushId,
      districtCode: message.districtCode,
      items: [message.application],
    });
    await this.post(
      endpoint,
      body,
      {
        'Content-Type': 'application/json',
        'X-UMG-Push-Id': message.pushId,
        ...signedHeaders(options.tamperCredentials ? `${secret}-tampered` : secret, body),
      },
      options.timeoutMs,
    );
    return { backOfficeReference: `change:${message.pushId}` };
  }

  private async pushSoap(profile: BackOfficeProfile, secret: string, message: PushMessage, options: PushOptions) {
    const parsed = parseSoapMapping(profile.mapping);
    if (!parsed.success) throw new PushFailure(`the SOAP mapping is not valid: ${parsed.error.message}`, true);
    const mapping = treeMappingOf(parsed.data);
    const security = this.securityOf(mapping, secret, options.tamperCredentials === true);
    const request = await buildSoapRequest(mapping, message);
    const body = security ? secureEnvelope(request, envelopePrefix, security) : request;
    // A legacy system that checks only WS-Security (or nothing) may turn the HMAC headers off.
    const tamperHmac = options.tamperCredentials && !security;
    const answer = await this.post(
      profile.endpoint!,
      body,
      {
        ...soapActionHeaders(mapping, message.kind),
        'X-UMG-Push-Id': message.pushId,
        ...(mapping.hmac ? signedHeaders(tamperHmac ? `${secret}-tampered` : secret, body) : {}),
      },
      options.timeoutMs,
    );
    return parseSoapAnswer(mapping, message, answer);
  }

  /** The WS-Security the mapping asks for: the district's secret as the password, the key its keyRef names. */
  private securityOf(mapping: SoapTreeMapping, secret: string, tamper: boolean): EnvelopeSecurity | undefined {
    const { usernameToken, x509 } = mapping.security;
    if (!usernameToken && !x509) return undefined;
    const security: EnvelopeSecurity = {};
    if (usernameToken) {
      security.usernameToken = { ...usernameToken, password: tamper ? `${secret}-tampered` : secret };
    }
    if (x509) {
      const identity = loadSigningIdentity(this.config.PUSH_SIGNING_KEYS_DIR, x509.keyRef);
      if (!identity) {
        throw new PushFailure(`no signing key "${x509.keyRef}" in ${this.config.PUSH_SIGNING_KEYS_DIR}`, true);
      }
      // Tampered: the right certificate, a signature by some other key.
      const keyPem = tamper
        ? generateKeyPairSync('rsa', { modulusLength: 2048 })
            .privateKey.export({ type: 'pkcs8', format: 'pem' })
            .toString()
        : identity.keyPem;
      security.x509 = { keyPem, certificatePem: identity.certificatePem };
    }
    return security;
  }

  /**
   * One POST under the endpoint policy (https, public addresses, no redirects, a capped answer) with
   * a deadline; a 2xx body comes back, anything else is a classified failure.
   */
  private async post(
    url: string,
    body: string,
    headers: Record<string, string>,
    timeoutMs: number,
  ): Promise<GuardedAnswer> {
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
        throw new PushFailure(error.message, true);
      }
      this.exchanges.record({ ...exchange, outcome: 'unreachable' });
      const reason =
        error instanceof Error && error.name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : String(error);
      throw new PushFailure(`back office unreachable: ${reason}`, false);
    }
    if (response.status >= 200 && response.status < 300) return response;
    // A SOAP fault comes with 500 (1.2: 400 for the sender's fault) but is the back office's
    // answer, not an outage: its mapping says what it means.
    if ((response.status === 500 || response.status === 400) && /<(\w+:)?Fault[\s>]/.test(response.text)) {
      return response;
    }
    throw failureForStatus(response.status, response.text);
  }
}
