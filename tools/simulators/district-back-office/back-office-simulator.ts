import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Failure injection: how the back office behaves right now. */
export type BackOfficeMode = 'ok' | 'down' | 'slow' | 'wrong' | 'reject' | 'async';

export interface Control {
  mode: BackOfficeMode;
  /** For `slow`: how long each answer takes. */
  delayMs?: number;
}

/** What the back office took in, in its own register. */
export interface Registration {
  applicationId: string;
  pushId: string;
  kind: 'application' | 'status_change' | 'deadline_alert';
  status: string;
  serviceCode: string;
  registrationNumber: string | null;
  /** How many times this same message arrived (the gateway delivers at least once). */
  received: number;
}

export interface Exchange {
  district: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
}

export interface Answer {
  status: number;
  contentType: string;
  /** Text, or bytes (an MTOM answer). */
  body: string | Buffer;
}

/**
 * The plumbing shared by the simulated back offices: a node:http server, per-district failure
 * injection (`POST /_control/<district>` with {mode, delayMs}), the secret a district's back office
 * holds (`PUT /_secrets/<district>` with {secret}: a newly onboarded district, or a rotation), and a view of what each district
 * registered (`GET /_registrations/<district>`), for tests and the demo.
 */
export abstract class BackOfficeSimulator {
  private server: Server | undefined;
  private readonly controls = new Map<string, Control>();
  protected readonly registrations = new Map<string, Map<string, Registration>>();
  /** Documents the back office serves for the gateway to fetch (`GET /_documents/<name>`), e.g. results it refers to. */
  protected readonly documents = new Map<string, { contentType: string; body: Buffer }>();
  /** Where the back office is reached, once started. */
  protected baseUrl = '';
  private sequence = 0;

  constructor(protected readonly secrets: Record<string, string>) {}

  /** Answers one push, in the back office's own format. */
  protected abstract answer(exchange: Exchange, control: Control): Promise<Answer>;

  async start(port = 0, host = '127.0.0.1'): Promise<string> {
    this.server = createServer((request, response) => void this.route(request, response));
    await new Promise<void>((resolve) => this.server!.listen(port, host, resolve));
    const address = this.server.address() as AddressInfo;
    this.baseUrl = `http://${host}:${address.port}`;
    return this.baseUrl;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** A district's secret as its back office holds it: a new district, or a rotated secret. */
  setSecret(district: string, secret: string): void {
    this.secrets[district] = secret;
  }

  setMode(district: string, control: Control): void {
    this.controls.set(district, control);
  }

  registrationsOf(district: string): Registration[] {
    return [...(this.registrations.get(district)?.values() ?? [])];
  }

  /** Remembers a message once per delivery; a repeated delivery gets the same registration number. */
  protected register(
    district: string,
    entry: Omit<Registration, 'registrationNumber' | 'received'>,
    prefix: string,
  ): Registration {
    const register = this.registrations.get(district) ?? new Map<string, Registration>();
    this.registrations.set(district, register);
    const key = `${entry.applicationId}/${entry.kind}/${entry.status}`;
    const known = register.get(key);
    if (known) {
      known.received += 1;
      return known;
    }
    this.sequence += 1;
    const number =
      entry.kind === 'application'
        ? `${prefix}-${String(this.sequence).padStart(6, '0')}/${new Date().getFullYear()}`
        : null;
    const registration = { ...entry, registrationNumber: number, received: 1 };
    register.set(key, registration);
    return registration;
  }

  private async route(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const path = (request.url ?? '/').split('?')[0]!;
    const send = (answer: Answer) => {
      response.writeHead(answer.status, { 'Content-Type': answer.contentType });
      response.end(answer.body);
    };
    const json = (status: number, value: unknown) =>
      send({ status, contentType: 'application/json', body: JSON.stringify(value) });
    try {
      const control = /^\/_control\/([a-z-]+)$/.exec(path);
      if (control && request.method === 'POST') {
        this.setMode(control[1]!, JSON.parse(body) as Control);
        return json(200, { district: control[1], ...(JSON.parse(body) as Control) });
      }
      const secret = /^\/_secrets\/([a-z-]+)$/.exec(path);
      if (secret && request.method === 'PUT') {
        this.setSecret(secret[1]!, (JSON.parse(body) as { secret: string }).secret);
        return json(200, { district: secret[1] });
      }
      const served = /^\/_documents\/([A-Za-z0-9._-]+)$/.exec(path);
      if (served && request.method === 'GET') {
        const document = this.documents.get(served[1]!);
        if (!document) return json(404, { error: 'no such document' });
        response.writeHead(200, { 'Content-Type': document.contentType });
        return void response.end(document.body);
      }
      const listing = /^\/_registrations\/([a-z-]+)$/.exec(path);
      if (listing && request.method === 'GET') return json(200, this.registrationsOf(listing[1]!));
      const district = /^\/[a-z0-9]+\/([a-z-]+)/.exec(path)?.[1];
      if (!district || request.method !== 'POST' || !this.secrets[district])
        return json(404, { error: 'no such endpoint' });
      const mode = this.controls.get(district) ?? { mode: 'ok' };
      if (mode.mode === 'down') return json(503, { error: 'back office is down for maintenance' });
      if (mode.mode === 'slow') await new Promise((resolve) => setTimeout(resolve, mode.delayMs ?? 30_000));
      send(await this.answer({ district, path, headers: request.headers, body }, mode));
    } catch (error) {
      json(500, { error: String(error) });
    }
  }
}
