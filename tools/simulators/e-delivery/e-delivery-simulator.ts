import { createHash, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * The Secure Electronic Delivery System (ССЕВ, e-delivery) as the gateway meets it, over a real
 * HTTP socket: profile look-ups, blob upload with a malware scan and a signature check, sending a
 * message to profiles, and the message's status with each recipient's receipt and the
 * non-repudiation timestamps. The JSON API follows e-delivery's model (profiles, blobs, messages
 * with a subject, the service reference number and blobs); the `/_sim/*` routes steer and inspect
 * the simulator and are not part of it.
 *
 * Deterministic triggers, so tests and the demo can ask for each outcome:
 * - a profile id starting with `none-` has no profile; one containing `never-opens` never receives;
 * - a blob whose content contains the EICAR test string, or whose file name contains `malicious`,
 *   is ISMALICIOUS; one containing `UMG-SIM-NOTSURE` is NOTSURE;
 * - `UMG-SIM-SIGNATURE:<status>` in the content gives the signature that status
 *   (`VALID`, `INVALIDINTEGRITY`, `CERTIFICATEEXPIREDATTIMEOFSIGNING`, `INVALIDCERTIFICATE`);
 *   `application/pkcs7-mime` blobs without the marker are VALID; other blobs are unsigned.
 */
export type MalwareScanStatus = 'NONE' | 'NOTMALICIOUS' | 'NOTSURE' | 'ISMALICIOUS';
export type SignatureStatus = 'VALID' | 'INVALIDINTEGRITY' | 'CERTIFICATEEXPIREDATTIMEOFSIGNING' | 'INVALIDCERTIFICATE';

/** How the simulated e-delivery behaves right now. */
export interface EDeliveryBehaviour {
  /** `down`: connections are cut at once; `error`: 503; `slow`: answers after `slowMs`; `drop_responses`: does the work, then cuts the connection. */
  mode: 'ok' | 'down' | 'error' | 'slow' | 'drop_responses';
  /** When set, the mode applies only to requests whose path starts with it (e.g. `/api/v1/messages`). */
  failOnly: string | null;
  slowMs: number;
  /** How long after sending a recipient receives (and opens) the message. */
  receiptDelayMs: number;
  /** Any profile id exists (except the `none-` ones), as in the demo; otherwise only registered profiles. */
  openRegistration: boolean;
}

export interface SimulatedProfile {
  profileId: string;
  identifier: string | null;
  name: string;
  /** False: the recipient never receives or opens anything. */
  opens: boolean;
}

export interface SimulatedBlob {
  blobId: string;
  fileName: string;
  mediaType: string;
  size: number;
  sha256: string;
  malwareScanResult: { status: MalwareScanStatus; scannedAt: string };
  signatures: { status: SignatureStatus; signer: string }[];
  uploadedAt: string;
}

export interface SimulatedMessage {
  messageId: string;
  subject: string;
  rnu: string | null;
  serviceNumber: number | null;
  additionalIdentifier: string | null;
  sender: { name: string; identifier: string };
  body: string;
  fields: Record<string, string>;
  blobs: SimulatedBlob[];
  recipientProfileIds: string[];
  sentAt: string;
}

const eicar = 'EICAR-STANDARD-ANTIVIRUS-TEST-FILE';
const signatureStatuses: SignatureStatus[] = [
  'VALID',
  'INVALIDINTEGRITY',
  'CERTIFICATEEXPIREDATTIMEOFSIGNING',
  'INVALIDCERTIFICATE',
];
const maxBlobBytes = 20 * 1024 * 1024;

export class EDeliverySimulator {
  private server: Server | undefined;
  private readonly profiles = new Map<string, SimulatedProfile>();
  private readonly blobs = new Map<string, SimulatedBlob>();
  private readonly messages = new Map<string, SimulatedMessage>();
  private readonly byAdditionalIdentifier = new Map<string, string>();
  private nextMessageNumber = 7_731_000;
  private requests = 0;
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
        if (!response.headersSent) send(response, 500, { title: 'simulator error', detail: String(error) });
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

  registerProfile(profile: Partial<SimulatedProfile> & { profileId: string }): SimulatedProfile {
    const full: SimulatedProfile = {
      identifier: null,
      name: 'Профил в ССЕВ',
      opens: !profile.profileId.includes('never-opens'),
      ...profile,
    };
    this.profiles.set(full.profileId, full);
    return full;
  }

  /** The messages a profile has been sent, oldest first. */
  inbox(profileId: string): SimulatedMessage[] {
    return [...this.messages.values()].filter((message) => message.recipientProfileIds.includes(profileId));
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://simulator');
    if (url.pathname.startsWith('/_sim/')) return this.control(request, response, url);
    this.requests += 1;
    const { failOnly, slowMs } = this.behaviour;
    const mode = failOnly && !url.pathname.startsWith(failOnly) ? 'ok' : this.behaviour.mode;
    if (mode === 'down') {
      request.socket.destroy();
      return;
    }
    if (mode === 'error') return send(response, 503, { title: 'Service Unavailable', status: 503 });
    if (mode === 'slow') await new Promise((resolve) => setTimeout(resolve, slowMs));
    const body = await readBody(request);
    if (mode === 'drop_responses') {
      await this.api(request, url, body, new DiscardingResponse());
      request.socket.destroy();
      return;
    }
    await this.api(request, url, body, response);
  }

  private async api(request: IncomingMessage, url: URL, body: Buffer, response: Answer): Promise<void> {
    const path = url.pathname;
    const method = request.method ?? 'GET';
    let match: RegExpMatchArray | null;
    if (method === 'GET' && path === '/api/v1/profiles/search') {
      const identifier = url.searchParams.get('identifier') ?? '';
      const profile = [...this.profiles.values()].find((candidate) => candidate.identifier === identifier);
      return profile ? send(response, 200, profileView(profile)) : notFound(response, 'profile');
    }
    if (method === 'GET' && (match = path.match(/^\/api\/v1\/profiles\/([^/]+)$/))) {
      const profile = this.findProfile(decodeURIComponent(match[1]!));
      return profile ? send(response, 200, profileView(profile)) : notFound(response, 'profile');
    }
    if (method === 'POST' && path === '/api/v1/blobs') return this.uploadBlob(request, body, response);
    if (method === 'GET' && (match = path.match(/^\/api\/v1\/blobs\/([^/]+)$/))) {
      const blob = this.blobs.get(decodeURIComponent(match[1]!));
      return blob ? send(response, 200, blob) : notFound(response, 'blob');
    }
    if (method === 'POST' && path === '/api/v1/messages') return this.sendMessage(body, response);
    if (method === 'GET' && (match = path.match(/^\/api\/v1\/messages\/([^/]+)$/))) {
      const message = this.messages.get(decodeURIComponent(match[1]!));
      return message ? send(response, 200, this.messageStatus(message)) : notFound(response, 'message');
    }
    return send(response, 404, { title: 'Not Found', status: 404, detail: `${method} ${path}` });
  }

  private findProfile(profileId: string): SimulatedProfile | undefined {
    const registered = this.profiles.get(profileId);
    if (registered) return registered;
    if (!this.behaviour.openRegistration || profileId.startsWith('none-')) return undefined;
    return this.registerProfile({ profileId });
  }

  private uploadBlob(request: IncomingMessage, body: Buffer, response: Answer): void {
    if (body.length === 0) return send(response, 400, { title: 'Bad Request', status: 400, detail: 'empty blob' });
    if (body.length > maxBlobBytes) return send(response, 413, { title: 'Payload Too Large', status: 413 });
    const fileName = decodeURIComponent(header(request, 'x-file-name') ?? 'document');
    const mediaType = (header(request, 'content-type') ?? 'application/octet-stream').split(';')[0]!.trim();
    const text = body.toString('latin1');
    const malware: MalwareScanStatus =
      text.includes(eicar) || fileName.toLowerCase().includes('malicious')
        ? 'ISMALICIOUS'
        : text.includes('UMG-SIM-NOTSURE')
          ? 'NOTSURE'
          : 'NOTMALICIOUS';
    const marked = /UMG-SIM-SIGNATURE:([A-Z]+)/.exec(text)?.[1] as SignatureStatus | undefined;
    const signature =
      marked && signatureStatuses.includes(marked)
        ? marked
        : mediaType === 'application/pkcs7-mime'
          ? 'VALID'
          : undefined;
    const blob: SimulatedBlob = {
      blobId: randomUUID(),
      fileName,
      mediaType,
      size: body.length,
      sha256: createHash('sha256').update(body).digest('hex'),
      malwareScanResult: { status: malware, scannedAt: new Date().toISOString() },
      signatures: signature ? [{ status: signature, signer: 'Район (квалифициран електронен подпис)' }] : [],
      uploadedAt: new Date().toISOString(),
    };
    this.blobs.set(blob.blobId, blob);
    send(response, 201, blob);
  }

  private sendMessage(body: Buffer, response: Answer): void {
    let request: Partial<SimulatedMessage> & { blobIds?: string[] };
    try {
      request = JSON.parse(body.toString('utf8')) as typeof request;
    } catch {
      return send(response, 400, { title: 'Bad Request', status: 400, detail: 'not JSON' });
    }
    const recipients = request.recipientProfileIds ?? [];
    if (recipients.length === 0 || !request.subject || !request.sender?.name) {
      return send(response, 400, {
        title: 'Bad Request',
        status: 400,
        detail: 'recipientProfileIds, subject and sender are required',
      });
    }
    // Duplicate detection: the same sender's additionalIdentifier is the same message.
    const duplicateKey = request.additionalIdentifier
      ? `${request.sender.identifier}/${request.additionalIdentifier}`
      : undefined;
    const existing = duplicateKey ? this.byAdditionalIdentifier.get(duplicateKey) : undefined;
    if (existing) return send(response, 200, this.messageStatus(this.messages.get(existing)!));
    const unknownRecipient = recipients.find((profileId) => !this.findProfile(profileId));
    if (unknownRecipient) return notFound(response, `profile ${unknownRecipient}`);
    const blobs: SimulatedBlob[] = [];
    for (const blobId of request.blobIds ?? []) {
      const blob = this.blobs.get(blobId);
      if (!blob) return notFound(response, `blob ${blobId}`);
      if (blob.malwareScanResult.status === 'ISMALICIOUS') {
        return send(response, 422, {
          title: 'Unprocessable Content',
          status: 422,
          detail: `blob ${blobId} is malicious`,
        });
      }
      blobs.push(blob);
    }
    const message: SimulatedMessage = {
      messageId: String(this.nextMessageNumber++),
      subject: request.subject,
      rnu: request.rnu ?? null,
      serviceNumber: request.serviceNumber ?? null,
      additionalIdentifier: request.additionalIdentifier ?? null,
      sender: request.sender,
      body: request.body ?? '',
      fields: request.fields ?? {},
      blobs,
      recipientProfileIds: recipients,
      sentAt: new Date().toISOString(),
    };
    this.messages.set(message.messageId, message);
    if (duplicateKey) this.byAdditionalIdentifier.set(duplicateKey, message.messageId);
    send(response, 201, this.messageStatus(message));
  }

  /** The sender's view: receipts appear `receiptDelayMs` after sending, for recipients who open. */
  private messageStatus(message: SimulatedMessage) {
    const receivedAt = new Date(Date.parse(message.sentAt) + this.behaviour.receiptDelayMs);
    const received = receivedAt.getTime() <= Date.now();
    return {
      messageId: message.messageId,
      subject: message.subject,
      rnu: message.rnu,
      additionalIdentifier: message.additionalIdentifier,
      sentAt: message.sentAt,
      nroTimestamp: message.sentAt,
      recipients: message.recipientProfileIds.map((profileId) => {
        const opens = this.profiles.get(profileId)?.opens ?? true;
        const at = opens && received ? receivedAt.toISOString() : null;
        return { profileId, dateReceived: at, dateOpened: at, nrdTimestamp: at };
      }),
      blobs: message.blobs.map(({ blobId, fileName, malwareScanResult, signatures }) => ({
        blobId,
        fileName,
        malwareScanResult,
        signatures,
      })),
    };
  }

  private async control(request: IncomingMessage, response: ServerResponse, url: URL): Promise<void> {
    const body = await readBody(request);
    const json = () => (body.length ? (JSON.parse(body.toString('utf8')) as Record<string, unknown>) : {});
    let match: RegExpMatchArray | null;
    if (request.method === 'PUT' && url.pathname === '/_sim/behaviour') {
      this.behaviour = { ...this.behaviour, ...(json() as Partial<EDeliveryBehaviour>) };
      return send(response, 200, this.behaviour);
    }
    if (request.method === 'GET' && url.pathname === '/_sim/behaviour') return send(response, 200, this.behaviour);
    if (request.method === 'POST' && url.pathname === '/_sim/profiles') {
      return send(response, 201, this.registerProfile(json() as unknown as SimulatedProfile));
    }
    if (request.method === 'GET' && (match = url.pathname.match(/^\/_sim\/inbox\/([^/]+)$/))) {
      return send(response, 200, { items: this.inbox(decodeURIComponent(match[1]!)) });
    }
    if (request.method === 'GET' && url.pathname === '/_sim/messages') {
      // Every message sent, by the sender's additionalIdentifier: the chaos run counts them per delivery.
      const items = [...this.messages.values()].map(({ messageId, additionalIdentifier, rnu, sentAt }) => ({
        messageId,
        additionalIdentifier,
        rnu,
        sentAt,
      }));
      return send(response, 200, { items });
    }
    if (request.method === 'GET' && url.pathname === '/_sim/stats') {
      return send(response, 200, { requests: this.requests, messages: this.messages.size, blobs: this.blobs.size });
    }
    send(response, 404, { title: 'Not Found', status: 404 });
  }
}

interface Answer {
  headersSent: boolean;
  writeHead(status: number, headers: Record<string, string>): unknown;
  end(body: string): unknown;
}

/** Answers nothing: for `drop_responses`, where the work is done but the caller never hears. */
class DiscardingResponse implements Answer {
  headersSent = false;
  writeHead(): void {}
  end(): void {}
}

function send(response: Answer, status: number, body: unknown): void {
  const type = status >= 400 ? 'application/problem+json' : 'application/json';
  response.writeHead(status, { 'Content-Type': type });
  response.end(JSON.stringify(body));
}

function notFound(response: Answer, what: string): void {
  send(response, 404, { title: 'Not Found', status: 404, detail: `no such ${what}` });
}

function profileView(profile: SimulatedProfile) {
  return {
    profileId: profile.profileId,
    identifier: profile.identifier,
    name: profile.name,
    targetGroup: 'individual',
  };
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
