import { createPrivateKey } from 'node:crypto';
import { createClientAsync, type Client, WSSecurityCert } from 'soap';
import { ExchangeRecorder, sha256Hex } from '@umg/exchange-log';
import { type EDeliveryOperation, eDeliveryWsdlFile } from '@umg/e-delivery';
import { loadSigningIdentity } from '@umg/ws-security';
import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import CircuitBreaker from 'opossum';
import type { Logger } from '@umg/logging';
import { PlatformMetrics, SERVICE_LOGGER } from '@umg/platform';
import type { DeliveryConfig } from '../config';
import { DELIVERY_CONFIG } from '../delivery-config.token';
import { EDeliveryCallError } from './e-delivery-call.error';
import { faultKind } from './e-delivery-fault';
import type {
  OutgoingMessage,
  SendMessageRequest,
  SentMessageStatus,
  SubjectRegistration,
  TimeStampFile,
} from './e-delivery-wire';
import type { AttachmentSignature, ReceivedMessage } from '../intake/portal-application.reader';
import { DistrictIdentities, type EDeliveryIdentity } from './district-identities';

interface Call {
  districtCode: string;
  operation: EDeliveryOperation;
  args: Record<string, unknown>;
}

type SoapResult = Record<string, unknown> | null;

/**
 * ССЕВ's SOAP integration service (SOAP 1.1, MTOM, WS-Security X.509), one `soap` client per
 * district, each signing with that district's certificate. Every call has a deadline and goes
 * through one circuit breaker, so while e-delivery is down the worker fails fast instead of piling
 * up calls that time out. Retries are not made here: the caller's durable queue reschedules the
 * work with backoff.
 */
@Injectable()
export class EDeliveryClient implements OnModuleDestroy {
  private readonly breaker: CircuitBreaker<[Call], SoapResult>;
  private readonly clients = new Map<string, Promise<Client>>();

  constructor(
    @Inject(DELIVERY_CONFIG) private readonly config: DeliveryConfig,
    @Inject(SERVICE_LOGGER) logger: Logger,
    private readonly exchanges: ExchangeRecorder,
    @Inject(PlatformMetrics) metrics: PlatformMetrics,
    private readonly identities: DistrictIdentities,
  ) {
    this.breaker = new CircuitBreaker((call: Call) => this.perform(call), {
      timeout: false, // each call has its own deadline
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

  async checkRegistration(districtCode: string, identifier: string): Promise<SubjectRegistration> {
    const result = await this.call({
      districtCode,
      operation: 'CheckSubjectHasRegistration',
      args: { identificator: identifier },
    });
    const info = value(result?.CheckSubjectHasRegistrationResult);
    const subject = value(info?.SubjectInfo);
    return {
      hasRegistration: String(info?.HasRegistration) === 'true',
      subjectId: typeof subject?.ElectronicSubjectId === 'string' ? subject.ElectronicSubjectId : null,
    };
  }

  /** Sends a message; answers ССЕВ's message id. */
  async sendMessage(districtCode: string, request: SendMessageRequest): Promise<number> {
    const result = await this.call({
      districtCode,
      operation: 'SendMessage',
      // Parameters in the operation's order (contracts/e-delivery/integration.xsd).
      args: {
        message: messageDetails(request.message),
        receiverType: request.receiverType,
        receiverUniqueIdentifier: request.receiverIdentifier,
        receiverPhone: null,
        receiverEmail: request.receiverEmail,
        serviceOID: request.serviceOid,
        operatorEGN: null,
      },
    });
    return messageIdOf(result?.SendMessageResult, 'SendMessage');
  }

  /** Answers the applicant's own message (its id in ССЕВ) in the same thread. */
  async sendMessageInReplyTo(
    districtCode: string,
    message: OutgoingMessage,
    replyToMessageId: number,
  ): Promise<number> {
    const result = await this.call({
      districtCode,
      operation: 'SendMessageInReplyTo',
      args: { message: messageDetails(message), replyToMessageId, serviceOID: null, operatorEGN: null },
    });
    return messageIdOf(result?.SendMessageInReplyToResult, 'SendMessageInReplyTo');
  }

  async sentMessageStatus(districtCode: string, messageId: number): Promise<SentMessageStatus> {
    const result = await this.call({
      districtCode,
      operation: 'GetSentMessageStatus',
      args: { messageId, operatorEGN: null },
    });
    return sentStatus(value(result?.GetSentMessageStatusResult), messageId);
  }

  /** The message we sent with a document of this registration number, or `null` when there is none. */
  async findSentByRegistrationNumber(
    districtCode: string,
    registrationNumber: string,
  ): Promise<SentMessageStatus | null> {
    try {
      const result = await this.call({
        districtCode,
        operation: 'GetSentDocumentStatusByRegNum',
        args: { documentRegistrationNumber: registrationNumber, operatorEGN: null },
      });
      const details = value(result?.GetSentDocumentStatusByRegNumResult);
      return details ? sentStatus(details, null) : null;
    } catch (error) {
      if (error instanceof EDeliveryCallError && error.fault === 'not_found') return null;
      throw error;
    }
  }

  /** The ids and titles of a district's new (unopened) messages, oldest first, at most `pageSize`. */
  async newReceivedMessages(districtCode: string, pageSize: number): Promise<{ messageId: number; title: string }[]> {
    const result = await this.call({
      districtCode,
      operation: 'GetReceivedMessagesListPaged',
      args: { onlyNew: true, pageNumber: 1, pageSize, operatorEGN: null },
    });
    const items = value(value(result?.GetReceivedMessagesListPagedResult)?.Items)?.DcMessage;
    const list = (Array.isArray(items) ? items : items ? [items] : []) as Record<string, unknown>[];
    return list
      .map((item) => ({
        messageId: messageIdOf(item.Id, 'GetReceivedMessagesListPaged'),
        title: String(item.Title ?? ''),
      }))
      .sort((a, b) => a.messageId - b.messageId);
  }

  /** Opens a received message (legal delivery: ССЕВ sets DateReceived and tells the sender) and answers its content. */
  async openReceivedMessage(
    districtCode: string,
    messageId: number,
  ): Promise<ReceivedMessage & { senderName: string | null }> {
    const result = await this.call({
      districtCode,
      operation: 'GetReceivedMessageContent',
      args: { messageId, operatorEGN: null },
    });
    const details = value(result?.GetReceivedMessageContentResult);
    if (!details) throw new EDeliveryCallError(true, null, `e-delivery answered no content for message ${messageId}`);
    const documents = value(details.AttachedDocuments)?.DcDocument;
    const list = (Array.isArray(documents) ? documents : documents ? [documents] : []) as Record<string, unknown>[];
    return {
      messageId,
      title: String(details.Title ?? ''),
      dateSent: dateOf(details.DateSent),
      senderName: (value(details.SenderProfile)?.ElectronicSubjectName as string | undefined) ?? null,
      senderProfileId: value(details.SenderProfile)?.Id ? String(value(details.SenderProfile)!.Id) : null,
      documents: list.map((document) => ({
        id: Number(document.Id ?? 0),
        name: String(document.DocumentName ?? 'document'),
        contentType: typeof document.ContentType === 'string' ? document.ContentType : null,
        content: Buffer.from(typeof document.Content === 'string' ? document.Content : '', 'base64'),
        signatures: signaturesOf(document.SignaturesInfo),
      })),
    };
  }

  private async call(call: Call): Promise<SoapResult> {
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

  /** One SOAP exchange; throws only what should count against e-delivery's health as transient. */
  private async perform(call: Call): Promise<SoapResult> {
    const client = await this.clientFor(call.districtCode);
    const exchange = {
      party: 'e-delivery',
      direction: 'outbound' as const,
      operation: call.operation,
      requestHash: sha256Hex(JSON.stringify(call.args)),
    };
    const method = client[`${call.operation}Async`] as (
      args: unknown,
      options: Record<string, unknown>,
    ) => Promise<[SoapResult]>;
    try {
      const [result] = await method.call(client, call.args, {
        timeout: this.config.E_DELIVERY_TIMEOUT_MS,
        forceMTOM: true,
      });
      this.exchanges.record({ ...exchange, outcome: '200' });
      return result;
    } catch (error) {
      const failure = callError(call.operation, error);
      this.exchanges.record({ ...exchange, outcome: failure.fault ? `fault:${failure.fault}` : 'unreachable' });
      throw failure;
    }
  }

  private clientFor(districtCode: string): Promise<Client> {
    let client = this.clients.get(districtCode);
    if (!client) {
      client = this.createClient(districtCode);
      this.clients.set(districtCode, client);
      // A failed creation (e.g. no credentials yet) is tried again next time.
      client.catch(() => this.clients.delete(districtCode));
    }
    return client;
  }

  /**
   * The district's client, signing with the secret its register entry names. A district the
   * register gives no e-delivery identity signs with the municipality's (`default`); a certificate
   * whose thumbprint is not the one registered is refused before ССЕВ would refuse it.
   */
  private async createClient(districtCode: string): Promise<Client> {
    let registered: EDeliveryIdentity | null;
    try {
      registered = await this.identities.identity(districtCode);
    } catch (error) {
      throw new EDeliveryCallError(true, null, `the districts register is unavailable: ${(error as Error).message}`);
    }
    const keyRef = registered?.signingKeyRef ?? 'default';
    const identity = loadSigningIdentity(this.config.E_DELIVERY_CREDENTIALS_DIR, keyRef);
    if (!identity) {
      throw new EDeliveryCallError(
        false,
        'security',
        `no e-delivery signing key "${keyRef}" for district ${districtCode} in ${this.config.E_DELIVERY_CREDENTIALS_DIR}`,
      );
    }
    if (registered?.certificateThumbprint && registered.certificateThumbprint !== identity.thumbprint) {
      throw new EDeliveryCallError(
        false,
        'security',
        `the certificate of "${keyRef}" (${identity.thumbprint}) is not the one registered for ${districtCode} (${registered.certificateThumbprint})`,
      );
    }
    const client = await createClientAsync(eDeliveryWsdlFile, { endpoint: this.config.E_DELIVERY_URL });
    client.setSecurity(
      // A key object, parsed once: a PEM string would be parsed again by every signature (half its cost).
      new WSSecurityCert(createPrivateKey(identity.keyPem), identity.certificatePem, '', {
        hasTimeStamp: true,
        signatureAlgorithm: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
        digestAlgorithm: 'http://www.w3.org/2001/04/xmlenc#sha256',
      }),
    );
    return client;
  }
}

/** DcMessageDetails in the data contract's order: the base DcMessage's Title, then AttachedDocuments, MessageText. */
function messageDetails(message: OutgoingMessage): Record<string, unknown> {
  return {
    Title: message.title.slice(0, 255),
    AttachedDocuments: {
      DcDocument: message.documents.map((document) => ({
        Content: document.content.toString('base64'),
        ContentType: document.contentType,
        DocumentName: document.name,
        DocumentRegistrationNumber: document.registrationNumber,
      })),
    },
    MessageText: message.text,
  };
}

function callError(operation: string, error: unknown): EDeliveryCallError {
  const fault = (error as { root?: { Envelope?: { Body?: { Fault?: { faultstring?: unknown } } } } }).root?.Envelope
    ?.Body?.Fault;
  if (fault) {
    const text = textOf(fault.faultstring);
    const kind = faultKind(text);
    return new EDeliveryCallError(kind === 'unknown', kind, `e-delivery refused ${operation}: ${text}`);
  }
  const cause = error instanceof Error ? error.message : String(error);
  return new EDeliveryCallError(true, null, `e-delivery did not answer ${operation}: ${cause}`);
}

function textOf(node: unknown): string {
  if (typeof node === 'string') return node;
  const object = node as { $value?: unknown } | null;
  return typeof object?.$value === 'string' ? object.$value : JSON.stringify(node);
}

/** A parsed element, or `null` when it is absent or `xsi:nil`. */
function value(node: unknown): Record<string, unknown> | null {
  if (!node || typeof node !== 'object') return null;
  const attributes = (node as { attributes?: Record<string, string> }).attributes;
  if (attributes && Object.entries(attributes).some(([name, text]) => name.endsWith('nil') && text === 'true')) {
    return null;
  }
  return node as Record<string, unknown>;
}

function dateOf(node: unknown): Date | null {
  if (node instanceof Date) return node;
  if (typeof node === 'string' && node) return new Date(node);
  return null;
}

function timeStampOf(node: unknown): TimeStampFile | null {
  const stamp = value(node);
  if (!stamp || typeof stamp.TimeStampData !== 'string') return null;
  return { fileName: String(stamp.FileName ?? 'timestamp.tsr'), data: Buffer.from(stamp.TimeStampData, 'base64') };
}

function sentStatus(details: Record<string, unknown> | null, messageId: number | null): SentMessageStatus {
  if (!details) throw new EDeliveryCallError(true, null, 'e-delivery answered an empty message status');
  return {
    messageId: messageId ?? messageIdOf(details.Id, 'GetSentDocumentStatusByRegNum'),
    dateSent: dateOf(details.DateSent),
    dateReceived: dateOf(details.DateReceived),
    nro: timeStampOf(details.TimeStampNRO),
    nrd: timeStampOf(details.TimeStampNRD),
  };
}

/**
 * A DcDocument's SignaturesInfo: the production contract names its members by .NET backing fields.
 * ССЕВ answers an unsigned document with one `NoSignatureFound` entry (ED
 * GetReceivedMessageContentMapper.cs): that is no signature, and none is reported.
 */
function signaturesOf(node: unknown): AttachmentSignature[] {
  const results = value(node)?.DcSignatureValidationResult;
  const list = (Array.isArray(results) ? results : results ? [results] : []) as Record<string, unknown>[];
  const field = (result: Record<string, unknown>, name: string) => result[`_x003C_${name}_x003E_k__BackingField`];
  return list
    .filter((result) => String(field(result, 'Status')) !== 'NoSignatureFound')
    .map((result) => ({
      status: String(field(result, 'Status')) as AttachmentSignature['status'],
      signatureValid: String(field(result, 'IsSignatureValid')) === 'true',
      integrityValid: String(field(result, 'IsIntegrityValid')) === 'true',
      revocationStatus: String(field(result, 'RevocationStatus')) as AttachmentSignature['revocationStatus'],
      signer: typeof field(result, 'Subject') === 'string' ? (field(result, 'Subject') as string) : null,
    }));
}

function messageIdOf(node: unknown, operation: string): number {
  const id = Number(node);
  if (!Number.isInteger(id) || id <= 0) {
    throw new EDeliveryCallError(true, null, `e-delivery answered ${operation} without a message id`);
  }
  return id;
}
