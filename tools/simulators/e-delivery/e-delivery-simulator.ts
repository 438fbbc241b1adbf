import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { certificateThumbprint, eDeliveryContractDir, eDeliverySchemaFiles } from '@umg/e-delivery';
import {
  type DataContract,
  envelopeOf,
  faultEnvelope,
  mtomPackage,
  nil,
  operationOf,
  responseEnvelope,
  type XmlObject,
} from './soap-wire';
import { sofiaWallMs } from '../payment-system/wire';
import { simulatedTimeStampToken } from './timestamp-token';
import { verifyWsSecurity } from './ws-security-verifier';

/**
 * The Secure Electronic Delivery System (ССЕВ, e-delivery) as an administration's system meets it:
 * the SOAP 1.1 + MTOM `EDeliveryIntegrationService` (ED intetgration-service/src/ED.IntegrationService/
 * IEDeliveryIntegrationService.cs), over a real HTTP socket. It publishes the project's WSDL
 * (`?wsdl`, `?xsd=<file>`), refuses any call whose WS-Security signature does not verify against a
 * registered certificate thumbprint, and keeps subjects (person, legal person, institution) with
 * their profiles, messages with NRO/NRD timestamps, and institutions' inboxes. The `/_sim/*` routes
 * (JSON) steer and inspect it and are not part of ССЕВ.
 *
 * Rules, each from the source (docs/e-delivery.md lists them):
 * - a Person without a profile gets a passive one when the e-mail is valid; a legal person or an
 *   institution without one: "The requested receiver profile does not exist or is deactivated!";
 * - a document carrying the EICAR test string fails the whole send: "File {name} is malicious";
 * - `DateReceived` and the NRD timestamp are set when the recipient opens the message.
 */
export type SubjectType = 'Person' | 'LegalPerson' | 'Institution';

/** How the simulated e-delivery behaves right now. */
export interface EDeliveryBehaviour {
  /** `down`: connections are cut at once; `error`: 503; `slow`: answers after `slowMs`; `drop_responses`: does the work, then cuts the connection. */
  mode: 'ok' | 'down' | 'error' | 'slow' | 'drop_responses';
  /** When set, the mode applies only to this SOAP operation (e.g. `SendMessage`). */
  failOnly: string | null;
  slowMs: number;
  /** How long after sending a person or company opens the message (legal delivery, NRD). */
  receiptDelayMs: number;
  /** Persons and legal persons not registered by `/_sim/subjects` count as having a profile (the demo). */
  openRegistration: boolean;
}

export interface SimulatedSubject {
  identifier: string;
  type: SubjectType;
  name: string;
  email: string | null;
  /** Has a profile in ССЕВ (a passive one counts). */
  registered: boolean;
  passive: boolean;
  /** False: the recipient never opens anything. */
  opens: boolean;
}

export interface SimulatedDocument {
  id: number;
  name: string;
  contentType: string | null;
  registrationNumber: string | null;
  size: number;
  sha256: string;
  content: string;
}

export interface SimulatedMessage {
  messageId: number;
  /** The integration login (by thumbprint) or the subject that sent it. */
  sender: { identifier: string; name: string; thumbprint: string | null };
  receiver: { identifier: string; type: SubjectType };
  title: string;
  text: string | null;
  documents: SimulatedDocument[];
  replyToMessageId: number | null;
  dateSent: string;
  dateReceived: string | null;
  /** Legal deliveries: how many times opening it found it unopened (must never exceed 1). */
  openCount: number;
  /** How many times its content was read by the receiver (GetReceivedMessageContent). */
  readCount: number;
}

export interface EDeliveryStats {
  requests: number;
  refusedCalls: number;
  messages: number;
  calls: Record<string, number>;
}

/** An institution's integration login: its certificate thumbprint and the institution (unit) it acts for. */
export interface IntegrationLogin {
  thumbprint: string;
  identifier: string;
  name: string;
}

const eicar = 'EICAR-STANDARD-ANTIVIRUS-TEST-FILE';
const soapPath = '/Services/EDeliveryIntegrationService.svc';

export class EDeliverySimulator {
  private server: Server | undefined;
  private readonly subjects = new Map<string, SimulatedSubject>();
  private readonly logins = new Map<string, IntegrationLogin>();
  private readonly messages = new Map<number, SimulatedMessage>();
  private nextMessageId = 7_731_000;
  private nextDocumentId = 1;
  private requests = 0;
  private refusedCalls = 0;
  /** SOAP calls received per operation (round trips a client spends; issue 19 counts them). */
  private readonly calls: Record<string, number> = {};
  /** The last SOAP exchanges (envelopes as on the wire, after MTOM), newest last: contract tests read them. */
  readonly recentExchanges: { operation: string; request: string; response: string }[] = [];
  behaviour: EDeliveryBehaviour;

  constructor(behaviour: Partial<EDeliveryBehaviour> = {}) {
    this.behaviour = {
      mode: 'ok',
      failOnly: null,
      slowMs: 3_000,
      receiptDelayMs: 2_000,
      openRegistration: true,
      ...behaviour,
    };
  }

  async start(port = 0, host = '127.0.0.1'): Promise<string> {
    this.server = createServer((request, response) => {
      this.handle(request, response).catch((error: unknown) => {
        if (!response.headersSent) sendJson(response, 500, { title: 'simulator error', detail: String(error) });
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(port, host, resolve));
    return this.url;
  }

  get url(): string {
    const address = this.server!.address() as AddressInfo;
    return `http://${address.address}:${address.port}`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** SOAP calls received (in all and per operation), and those refused for their security. */
  get stats(): EDeliveryStats {
    return {
      requests: this.requests,
      refusedCalls: this.refusedCalls,
      messages: this.messages.size,
      calls: { ...this.calls },
    };
  }

  /** Registers an integration login by its certificate (PEM); its calls act for `identifier`. */
  registerLogin(certificatePem: string, identifier: string, name: string): IntegrationLogin {
    const login = { thumbprint: certificateThumbprint(certificatePem), identifier, name };
    this.logins.set(login.thumbprint, login);
    this.registerSubject({ identifier, type: 'Institution', name });
    return login;
  }

  registerSubject(subject: Partial<SimulatedSubject> & { identifier: string }): SimulatedSubject {
    const full: SimulatedSubject = {
      type: subject.identifier.length === 10 ? 'Person' : 'LegalPerson',
      name: 'Профил в ССЕВ',
      email: null,
      registered: true,
      passive: false,
      opens: true,
      ...subject,
    };
    this.subjects.set(full.identifier, full);
    return full;
  }

  /** The messages sent to a subject, oldest first. */
  inbox(identifier: string): SimulatedMessage[] {
    return [...this.messages.values()].filter((message) => message.receiver.identifier === identifier);
  }

  /** A message sent by a person or company to an institution, as the portal files it on their behalf. */
  deposit(message: {
    sender: { identifier: string; name: string };
    receiverIdentifier: string;
    title: string;
    text?: string | null;
    documents: { name: string; contentType?: string; contentBase64: string }[];
  }): SimulatedMessage {
    const saved = this.save({
      sender: { ...message.sender, thumbprint: null },
      receiver: { identifier: message.receiverIdentifier, type: 'Institution' },
      title: message.title,
      text: message.text ?? null,
      documents: message.documents.map((document) =>
        this.document(document.name, document.contentType ?? null, null, document.contentBase64),
      ),
      replyToMessageId: null,
    });
    return saved;
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://simulator');
    if (url.pathname.startsWith('/_sim/')) return this.control(request, response, url);
    if (request.method === 'GET') return this.publishContract(url, response);
    this.requests += 1;
    const body = await readBody(request);
    let envelope: string;
    let operation: { name: string; payload: XmlObject };
    try {
      envelope = envelopeOf(header(request, 'content-type') ?? '', body);
      operation = operationOf(envelope);
    } catch (error) {
      return sendSoap(response, 400, faultEnvelope(`Bad request: ${(error as Error).message}`));
    }
    this.calls[operation.name] = (this.calls[operation.name] ?? 0) + 1;
    const { failOnly, slowMs } = this.behaviour;
    const mode = failOnly && failOnly !== operation.name ? 'ok' : this.behaviour.mode;
    if (mode === 'down') {
      request.socket.destroy();
      return;
    }
    if (mode === 'error') {
      response.writeHead(503, { 'Content-Type': 'text/html' });
      response.end('<html><body>Service Unavailable</body></html>');
      return;
    }
    if (mode === 'slow') await new Promise((resolve) => setTimeout(resolve, slowMs));

    const verdict = verifyWsSecurity(envelope, (thumbprint) => this.logins.has(thumbprint));
    if (!verdict.ok) {
      this.refusedCalls += 1;
      // WCF's answer to a message whose security does not verify; the reason stays in its log.
      process.stdout.write(`refused a call: ${verdict.why}\n`);
      return sendSoap(
        response,
        500,
        faultEnvelope('An error occurred when verifying security for the message.', 's:Client.InvalidSecurity'),
      );
    }
    const login = this.logins.get(verdict.thumbprint)!;
    let answer: string;
    let status = 200;
    try {
      answer = responseEnvelope(operation.name, this.perform(login, operation.name, operation.payload));
    } catch (error) {
      answer = faultEnvelope((error as Error).message);
      status = 500;
    }
    this.recentExchanges.push({ operation: operation.name, request: envelope, response: answer });
    if (this.recentExchanges.length > 50) this.recentExchanges.shift();
    if (mode === 'drop_responses') {
      request.socket.destroy();
      return;
    }
    sendSoap(response, status, answer);
  }

  private publishContract(url: URL, response: ServerResponse): void {
    const xsd = url.searchParams.get('xsd');
    if (url.searchParams.has('wsdl') || (xsd && (eDeliverySchemaFiles as readonly string[]).includes(xsd))) {
      const file = xsd ?? 'EDeliveryIntegrationService.wsdl';
      let text = readFileSync(join(eDeliveryContractDir, file), 'utf8');
      text = text.replace(/schemaLocation="([\w.-]+\.xsd)"/g, `schemaLocation="${this.url}${soapPath}?xsd=$1"`);
      text = text.replace(/<soap:address location="[^"]*"/, `<soap:address location="${this.url}${soapPath}"`);
      response.writeHead(200, { 'Content-Type': 'text/xml; charset=utf-8' });
      response.end(text);
      return;
    }
    sendJson(response, 404, { title: 'Not Found', status: 404 });
  }

  private perform(login: IntegrationLogin, operation: string, payload: XmlObject): unknown {
    switch (operation) {
      case 'SendMessage':
        return this.sendMessage(login, payload);
      case 'SendMessageInReplyTo':
        return this.sendMessageInReplyTo(login, payload);
      case 'CheckSubjectHasRegistration':
        return this.checkSubjectHasRegistration(text(payload.identificator));
      case 'GetSentMessageStatus':
        return this.messageDetails(this.sentMessage(login, Number(text(payload.messageId))), false);
      case 'GetSentDocumentStatusByRegNum': {
        const registrationNumber = text(payload.documentRegistrationNumber);
        const found = [...this.messages.values()].find(
          (message) =>
            message.sender.thumbprint === login.thumbprint &&
            message.documents.some((document) => document.registrationNumber === registrationNumber),
        );
        // The real service ends its query with EF's FirstAsync: no match is this exception's text.
        if (!found) throw new Error('Sequence contains no elements');
        return this.messageDetails(found, false);
      }
      case 'GetReceivedMessagesListPaged':
        return this.receivedList(login, payload);
      case 'GetReceivedMessageContent':
        return this.openReceived(login, Number(text(payload.messageId)));
      default:
        throw new Error(`The operation ${operation} is not supported by the simulator`);
    }
  }

  private sendMessage(login: IntegrationLogin, payload: XmlObject): number {
    const message = this.readMessage(payload.message);
    const identifier = text(payload.receiverUniqueIdentifier);
    if (!identifier) throw new Error('Receiver is missing');
    const type = (text(payload.receiverType) ?? 'Person') as SubjectType;
    const email = text(payload.receiverEmail);
    if (type === 'Person' && !/^[0-9]{10}$/.test(identifier)) throw new Error('Invalid identifier');
    if (type !== 'Person' && !/^([0-9]{9}|[0-9]{13})$/.test(identifier)) throw new Error('Invalid identifier');
    if (email && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email)) throw new Error('Invalid Email');
    let receiver = this.subject(identifier, type);
    if (!receiver?.registered) {
      if (type !== 'Person') throw new Error('The requested receiver profile does not exist or is deactivated!');
      // A person without a profile: a passive profile is created when the e-mail is valid.
      if (!email) throw new Error('Invalid Email');
      receiver = this.registerSubject({
        identifier,
        type,
        email,
        passive: true,
        registered: true,
        opens: receiver?.opens ?? true,
      });
    }
    return this.save({
      sender: { identifier: login.identifier, name: login.name, thumbprint: login.thumbprint },
      receiver: { identifier, type },
      ...message,
      replyToMessageId: null,
    }).messageId;
  }

  private sendMessageInReplyTo(login: IntegrationLogin, payload: XmlObject): number {
    const message = this.readMessage(payload.message);
    const original = this.messages.get(Number(text(payload.replyToMessageId)));
    if (!original || original.receiver.identifier !== login.identifier) throw new Error('Message not found');
    return this.save({
      sender: { identifier: login.identifier, name: login.name, thumbprint: login.thumbprint },
      receiver: {
        identifier: original.sender.identifier,
        type: original.sender.identifier.length === 10 ? 'Person' : 'LegalPerson',
      },
      ...message,
      replyToMessageId: original.messageId,
    }).messageId;
  }

  /** Title, text and documents of a DcMessageDetails, with the checks every send makes. */
  private readMessage(value: unknown): Pick<SimulatedMessage, 'title' | 'text' | 'documents'> {
    const message = (value ?? {}) as XmlObject;
    const title = text(message.Title);
    const body = text(message.MessageText) ?? null;
    const documents = (((message.AttachedDocuments as XmlObject | undefined)?.DcDocument ?? []) as XmlObject[]).map(
      (document) => {
        const content = text(document.Content) ?? '';
        if (!content) throw new Error('Document bytes must be provided');
        const name = text(document.DocumentName) ?? '';
        if (!/\.[A-Za-z0-9]+$/.test(name))
          throw new Error('Document name with extension is missing or in invalid format');
        return this.document(
          name,
          text(document.ContentType) ?? null,
          text(document.DocumentRegistrationNumber) ?? null,
          content,
        );
      },
    );
    if (!title || (!body && documents.length === 0)) {
      throw new Error('Message does not have all required fields: Title, Text or at least one Attached Document');
    }
    // Malware is checked at upload: one malicious file fails the whole send.
    const malicious = documents.find((document) =>
      Buffer.from(document.content, 'base64').toString('latin1').includes(eicar),
    );
    if (malicious) throw new Error(`File ${malicious.name} is malicious`);
    return { title, text: body, documents };
  }

  private document(
    name: string,
    contentType: string | null,
    registrationNumber: string | null,
    contentBase64: string,
  ): SimulatedDocument {
    const bytes = Buffer.from(contentBase64, 'base64');
    return {
      id: this.nextDocumentId++,
      name,
      contentType,
      registrationNumber,
      size: bytes.length,
      sha256: createHash('sha256').update(bytes).digest('hex'),
      content: contentBase64,
    };
  }

  private save(
    message: Omit<SimulatedMessage, 'messageId' | 'dateSent' | 'dateReceived' | 'openCount' | 'readCount'>,
  ): SimulatedMessage {
    const saved: SimulatedMessage = {
      ...message,
      messageId: this.nextMessageId++,
      dateSent: new Date().toISOString(),
      dateReceived: null,
      openCount: 0,
      readCount: 0,
    };
    this.messages.set(saved.messageId, saved);
    return saved;
  }

  private subject(identifier: string, type: SubjectType): SimulatedSubject | undefined {
    const known = this.subjects.get(identifier);
    if (known) return known;
    if (this.behaviour.openRegistration && type !== 'Institution') return this.registerSubject({ identifier, type });
    return undefined;
  }

  private checkSubjectHasRegistration(identifier: string | undefined): DataContract {
    const subject = identifier
      ? this.subject(identifier, identifier.length === 10 ? 'Person' : 'LegalPerson')
      : undefined;
    const registered = Boolean(subject?.registered);
    return {
      'a:HasRegistration': registered,
      'a:Identificator': identifier ?? nil(),
      'a:SubjectInfo': registered
        ? {
            'b:ElectronicSubjectId': subjectGuid(subject!.identifier),
            '@xmlns:b': 'http://schemas.datacontract.org/2004/07/EDelivery.Common.DataContracts.ESubject',
            'b:ElectronicSubjectName': subject!.name,
            'b:Email': subject!.email ?? nil(),
            'b:IsActivated': !subject!.passive,
            'b:PhoneNumber': nil(),
            'b:ProfileType': subject!.type,
            'a:InstitutionType': nil(),
          }
        : nil(),
    };
  }

  private sentMessage(login: IntegrationLogin, messageId: number): SimulatedMessage {
    const message = this.messages.get(messageId);
    if (!message || message.sender.thumbprint !== login.thumbprint) throw new Error('Sequence contains no elements');
    // A person or company opens what they were sent after a while, unless they never open anything.
    const receiver = this.subjects.get(message.receiver.identifier);
    const openAt = Date.parse(message.dateSent) + this.behaviour.receiptDelayMs;
    if (
      !message.dateReceived &&
      message.receiver.type !== 'Institution' &&
      (receiver?.opens ?? true) &&
      Date.now() >= openAt
    ) {
      message.dateReceived = new Date(openAt).toISOString();
      message.openCount += 1;
    }
    return message;
  }

  private receivedList(login: IntegrationLogin, payload: XmlObject): DataContract {
    const onlyNew = text(payload.onlyNew) === 'true';
    const pageNumber = Math.max(1, Number(text(payload.pageNumber) ?? 1));
    const pageSize = Math.min(100, Math.max(1, Number(text(payload.pageSize) ?? 20)));
    const all = this.inbox(login.identifier).filter((message) => !onlyNew || message.dateReceived === null);
    const page = all.slice((pageNumber - 1) * pageSize, pageNumber * pageSize);
    return {
      'a:AllItemsCount': all.length,
      'a:Items': { 'a:DcMessage': page.map((message) => this.messageHead(message)) },
      // ССЕВ builds the page as `new DcPartialList<DcMessage>(count, items)`: no sort is set.
      'a:SortColumn': 'None',
      'a:SortOrder': 'None',
    };
  }

  /** Opening a received message is legal delivery: DateReceived and the NRD timestamp are set the first time. */
  private openReceived(login: IntegrationLogin, messageId: number): DataContract {
    const message = this.messages.get(messageId);
    if (!message || message.receiver.identifier !== login.identifier) throw new Error('Sequence contains no elements');
    message.readCount += 1;
    if (!message.dateReceived) {
      message.openCount += 1;
      message.dateReceived = new Date().toISOString();
    }
    return this.messageDetails(message, true);
  }

  /**
   * DcMessage as ССЕВ's mappers fill it (ED Mappers/Get*Mapper.cs): times in the server's local
   * time with its offset (`ToLocalDateTime`), the sender's login always, the receiver's once an
   * institution's login has opened the message.
   */
  private messageHead(message: SimulatedMessage): DataContract {
    const receiverLogin = [...this.logins.values()].find((login) => login.identifier === message.receiver.identifier);
    return {
      'a:DateCreated': localDateTime(message.dateSent),
      'a:DateReceived': message.dateReceived ? localDateTime(message.dateReceived) : nil(),
      'a:DateSent': localDateTime(message.dateSent),
      'a:Id': message.messageId,
      'a:IsDraft': false,
      'a:ReceiverLogin':
        receiverLogin && message.dateReceived
          ? dcLogin(receiverLogin.identifier, receiverLogin.name, receiverLogin.thumbprint)
          : nil(),
      'a:ReceiverProfile': profile(
        message.receiver.identifier,
        this.subjects.get(message.receiver.identifier)?.name ?? '',
        message.receiver.type,
      ),
      'a:SenderLogin': dcLogin(message.sender.identifier, message.sender.name, message.sender.thumbprint),
      'a:SenderProfile': profile(
        message.sender.identifier,
        message.sender.name,
        message.sender.thumbprint ? 'Institution' : message.sender.identifier.length === 10 ? 'Person' : 'LegalPerson',
      ),
      'a:Title': message.title,
    };
  }

  private messageDetails(message: SimulatedMessage, withContent: boolean): DataContract {
    return {
      ...this.messageHead(message),
      'a:AttachedDocuments': {
        'a:DcDocument': message.documents.map((document) => ({
          'a:Content': withContent ? document.content : nil(),
          'a:ContentEncodingCodePage': nil(),
          'a:ContentType': document.contentType ?? nil(),
          'a:DocumentName': document.name,
          'a:DocumentRegistrationNumber': document.registrationNumber ?? nil(),
          'a:Id': document.id,
          // Only an opened message's documents carry ССЕВ's verdict on their signatures.
          'a:SignaturesInfo': withContent ? signaturesInfo(document) : nil(),
          'a:TimeStamp': timeStamp(
            document.name,
            simulatedTimeStampToken('NRO', message.messageId, `${message.dateSent}#${document.id}`),
          ),
        })),
      },
      'a:MessageText': message.text ?? nil(),
      'a:TimeStampContent': {
        'a:Content': simulatedTimeStampToken('NRO', message.messageId, `${message.dateSent}#content`).toString(
          'base64',
        ),
        'a:ContentType': 'application/xml',
        'a:FileName': `TimeStamp_${message.messageId}.xml`,
      },
      'a:TimeStampNRD': message.dateReceived
        ? timeStamp(
            `NRD_${message.messageId}.tsr`,
            simulatedTimeStampToken('NRD', message.messageId, message.dateReceived),
          )
        : nil(),
      'a:TimeStampNRO': timeStamp(
        `NRO_${message.messageId}.tsr`,
        simulatedTimeStampToken('NRO', message.messageId, message.dateSent),
      ),
    };
  }

  private async control(request: IncomingMessage, response: ServerResponse, url: URL): Promise<void> {
    const body = await readBody(request);
    const json = () => (body.length ? (JSON.parse(body.toString('utf8')) as Record<string, unknown>) : {});
    let match: RegExpMatchArray | null;
    if (request.method === 'PUT' && url.pathname === '/_sim/behaviour') {
      this.behaviour = { ...this.behaviour, ...(json() as Partial<EDeliveryBehaviour>) };
      return sendJson(response, 200, this.behaviour);
    }
    if (request.method === 'GET' && url.pathname === '/_sim/behaviour') return sendJson(response, 200, this.behaviour);
    if (request.method === 'POST' && url.pathname === '/_sim/subjects') {
      return sendJson(response, 201, this.registerSubject(json() as unknown as SimulatedSubject));
    }
    if (request.method === 'POST' && url.pathname === '/_sim/logins') {
      const { certificatePem, identifier, name } = json() as {
        certificatePem: string;
        identifier: string;
        name: string;
      };
      return sendJson(response, 201, this.registerLogin(certificatePem, identifier, name));
    }
    if (request.method === 'POST' && url.pathname === '/_sim/deposits') {
      return sendJson(
        response,
        201,
        withoutContent(this.deposit(json() as unknown as Parameters<EDeliverySimulator['deposit']>[0])),
      );
    }
    if (request.method === 'GET' && (match = url.pathname.match(/^\/_sim\/inbox\/([^/]+)$/))) {
      return sendJson(response, 200, { items: this.inbox(decodeURIComponent(match[1]!)).map(withoutContent) });
    }
    if (request.method === 'GET' && url.pathname === '/_sim/messages') {
      return sendJson(response, 200, { items: [...this.messages.values()].map(withoutContent) });
    }
    if (request.method === 'GET' && url.pathname === '/_sim/stats') {
      return sendJson(response, 200, this.stats);
    }
    sendJson(response, 404, { title: 'Not Found', status: 404 });
  }
}

function text(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'object') return (value as XmlObject)['#text'] as string | undefined;
  return String(value);
}

function profile(identifier: string, name: string, type: SubjectType): DataContract {
  return {
    'a:DateCreated': '2020-06-01T00:00:00',
    'a:ElectronicSubjectId': subjectGuid(identifier),
    'a:ElectronicSubjectName': name,
    'a:Email': nil(),
    'a:Id': Number.parseInt(createHash('sha256').update(identifier).digest('hex').slice(0, 6), 16),
    'a:IsDefault': false,
    'a:Phone': nil(),
    'a:ProfileType': type,
  };
}

/**
 * ССЕВ's verdict on a document's signatures, with the production contract's backing-field names. The
 * simulator does not verify signatures: a `.p7s`/`.p7m` file counts as validly signed, and the
 * marker `UMG-SIM-SIGNATURE:<INVALIDINTEGRITY|REVOKED|VALID>` in the content decides for tests.
 */
function signaturesInfo(document: SimulatedDocument): DataContract {
  const text = Buffer.from(document.content, 'base64').toString('latin1');
  const marker = /UMG-SIM-SIGNATURE:([A-Z]+)/.exec(text)?.[1];
  const field = (name: string) => `a:_x003C_${name}_x003E_k__BackingField`;
  // Without a signature ССЕВ still answers one entry (ED GetReceivedMessageContentMapper.cs).
  if (!marker && !/\.p7[sm]$/i.test(document.name)) {
    return {
      'a:DcSignatureValidationResult': [
        {
          [field('CertificateAlgorithm')]: nil(),
          [field('ChainCertificates')]: nil(),
          [field('ChainErrors')]: nil(),
          [field('ContainsTimeStamp')]: false,
          [field('Format')]: nil(),
          [field('IsExpired')]: false,
          [field('IsIntegrityValid')]: false,
          [field('IsSignatureValid')]: false,
          [field('IsTrustedSigner')]: false,
          [field('Issuer')]: nil(),
          [field('RevocationStatus')]: 'OK',
          [field('Status')]: 'NoSignatureFound',
          [field('SubjectEGN')]: nil(),
          [field('Subject')]: nil(),
          [field('TimeStampAuthority')]: nil(),
          [field('TimeStampDate')]: nil(),
          [field('ValidFrom')]: '0001-01-01T00:00:00',
          [field('ValidTo')]: '0001-01-01T00:00:00',
        },
      ],
    };
  }
  return {
    'a:DcSignatureValidationResult': [
      {
        [field('CertificateAlgorithm')]: 'sha256RSA',
        [field('ChainCertificates')]: '',
        [field('ChainErrors')]: { '@xmlns:b': 'http://schemas.microsoft.com/2003/10/Serialization/Arrays' },
        [field('ContainsTimeStamp')]: false,
        [field('Format')]: 'CAdES',
        [field('IsExpired')]: false,
        [field('IsIntegrityValid')]: marker !== 'INVALIDINTEGRITY',
        [field('IsSignatureValid')]: marker !== 'INVALIDINTEGRITY' && marker !== 'REVOKED',
        [field('IsTrustedSigner')]: true,
        [field('Issuer')]: 'CN=B-Trust Operational Qualified CA',
        [field('RevocationStatus')]: marker === 'REVOKED' ? 'Revoked' : 'OK',
        [field('Status')]: 'Success',
        [field('SubjectEGN')]: nil(),
        [field('Subject')]: 'CN=Иван Петров Иванов',
        [field('TimeStampAuthority')]: nil(),
        [field('TimeStampDate')]: nil(),
        [field('ValidFrom')]: '2025-01-01T00:00:00',
        [field('ValidTo')]: '2028-01-01T00:00:00',
      },
    ],
  };
}

/** A DcLogin as the list and status mappers fill it. */
function dcLogin(identifier: string, name: string, thumbprint: string | null): DataContract {
  return {
    'a:CertificateThumbprint': thumbprint ?? nil(),
    'a:ElectronicSubjectId': subjectGuid(`login:${identifier}`),
    'a:ElectronicSubjectName': name,
    'a:Email': nil(),
    'a:Id': Number.parseInt(createHash('sha256').update(`login:${identifier}`).digest('hex').slice(0, 6), 16),
    'a:IsActive': true,
    'a:PhoneNumber': nil(),
    'a:Profiles': nil(),
    'a:PushNotificationsUrl': nil(),
  };
}

/**
 * An instant as WCF's DataContractSerializer writes a local DateTime of a server in Sofia
 * (ED Extensions/TimestampExtensions.cs `ToLocalDateTime`): fraction without trailing zeros, offset.
 */
export function localDateTime(iso: string): string {
  const ms = Date.parse(iso);
  const wall = sofiaWallMs(ms);
  const offsetMinutes = Math.round((wall - ms) / 60_000);
  const sign = offsetMinutes < 0 ? '-' : '+';
  const hours = String(Math.floor(Math.abs(offsetMinutes) / 60)).padStart(2, '0');
  const minutes = String(Math.abs(offsetMinutes) % 60).padStart(2, '0');
  const digits = new Date(wall)
    .toISOString()
    .slice(0, 23)
    .replace(/\.?0+$/, '');
  return `${digits}${sign}${hours}:${minutes}`;
}

function timeStamp(fileName: string, data: Buffer): DataContract {
  return { 'a:FileName': fileName, 'a:TimeStampData': data.toString('base64') };
}

/** A stable GUID per subject, as ССЕВ's ElectronicSubjectId. */
function subjectGuid(identifier: string): string {
  const hex = createHash('sha256').update(`subject:${identifier}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

function withoutContent(message: SimulatedMessage) {
  return { ...message, documents: message.documents.map(({ content: _content, ...document }) => document) };
}

function sendSoap(response: ServerResponse, status: number, envelope: string): void {
  const { contentType, body } = mtomPackage(envelope);
  response.writeHead(status, { 'Content-Type': contentType });
  response.end(body);
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'Content-Type': status >= 400 ? 'application/problem+json' : 'application/json' });
  response.end(JSON.stringify(body));
}

function header(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export const eDeliverySoapPath = soapPath;
