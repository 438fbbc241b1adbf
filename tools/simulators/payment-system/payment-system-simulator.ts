import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { envelope, type Envelope, openEnvelope, StatusCode, type StatusCodeValue, verifyEnvelope } from './wire';

export interface SimulatorClient {
  clientId: string;
  secret: string;
}

export interface PaymentSystemSimulatorOptions {
  clients: SimulatorClient[];
  /** Delays between tries of a notification that was not answered with 2xx; given up after the last. */
  retryScheduleMs: number[];
  /** Between Authorized/Ordered and Paid when a citizen pays. */
  settleMs: number;
  /** Simulated citizens: the share of requests paid by themselves, and after how long (ms). */
  autoPay?: { share: number; minMs: number; maxMs: number; expireOthersAfterMs: number };
  log?: (line: string) => void;
}

/** How the simulator misbehaves: `unavailable` answers 503, `reset` drops connections, `slow` delays answers. */
export type FailureMode =
  { mode: 'none' } | { mode: 'unavailable' } | { mode: 'reset' } | { mode: 'slow'; delayMs: number };

interface StatusChange {
  status: StatusCodeValue;
  changeTime: string;
}

interface SimulatedPayment {
  id: string;
  clientId: string;
  aisPaymentId: string;
  request: Record<string, unknown>;
  history: StatusChange[];
  createCalls: number;
  notifications: { delivered: number; failed: number };
}

// A day of real retries by default: every minute at first, then every 15 min, 1 h, 3 h, 6 h.
export const realRetryScheduleMs = [
  ...Array<number>(5).fill(60_000),
  ...Array<number>(4).fill(15 * 60_000),
  ...Array<number>(3).fill(3_600_000),
  ...Array<number>(4).fill(3 * 3_600_000),
  ...Array<number>(8).fill(6 * 3_600_000),
];

const limits: Record<string, number> = {
  AisPaymentId: 50,
  ServiceProviderName: 100,
  ServiceProviderBank: 100,
  ServiceProviderBIC: 11,
  ServiceProviderIBAN: 34,
  PaymentReason: 200,
  ApplicantUin: 13,
  ApplicantName: 100,
  PaymentReferenceNumber: 50,
  AdministrativeServiceUri: 100,
  AdministrativeServiceSupplierUri: 200,
  AdministrativeServiceNotificationURL: 400,
};
const required = [
  'AisPaymentId',
  'ServiceProviderName',
  'ServiceProviderBank',
  'ServiceProviderBIC',
  'ServiceProviderIBAN',
  'Currency',
  'PaymentAmount',
  'PaymentReason',
  'ApplicantUinTypeId',
  'ApplicantUin',
  'ApplicantName',
  'ExpirationDate',
  'AdministrativeServiceNotificationURL',
];

/**
 * Plays the eGov payment system (pay.egov.bg) over real HTTP: signed requests in its wire format
 * (creation receipts, status by ids, suspension), and signed form-encoded status notifications
 * with its retry behaviour. `/simulator/...` lets tests and the demo make citizens pay, expire
 * requests, replay old notifications and inject failures.
 */
export class PaymentSystemSimulator {
  private server: Server | undefined;
  private failure: FailureMode = { mode: 'none' };
  private duplicateNotifications = false;
  private readonly payments = new Map<string, SimulatedPayment>();
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(private readonly options: PaymentSystemSimulatorOptions) {}

  async start(port: number, host = '127.0.0.1'): Promise<number> {
    this.server = createServer((request, response) => {
      this.route(request, response).catch((error: unknown) => answer(response, 500, { error: String(error) }));
    });
    await new Promise<void>((resolve) => this.server!.listen(port, host, resolve));
    return (this.server.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private async route(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://simulator');
    const body = await readBody(request);
    if (url.pathname.startsWith('/simulator/')) return this.control(request.method ?? 'GET', url, body, response);
    if (this.failure.mode === 'reset') {
      request.socket.destroy();
      return;
    }
    if (this.failure.mode === 'unavailable') return answer(response, 503, { error: 'service unavailable' });
    if (this.failure.mode === 'slow') await this.delay(this.failure.delayMs);
    if (request.method !== 'POST') return answer(response, 405, { error: 'POST only' });
    const message = parseEnvelope(body);
    const client = this.options.clients.find((candidate) => candidate.clientId === message?.ClientId);
    if (!message || !client) return answer(response, 401, { error: 'unknown client' });
    if (!verifyEnvelope(message, client.secret)) return answer(response, 401, { error: 'invalid hmac' });
    const data = openEnvelope(message) as Record<string, unknown> | undefined;
    if (!data || typeof data !== 'object') return answer(response, 400, { error: 'Data is not base64 JSON' });
    switch (url.pathname) {
      case '/api/v1/eService/paymentJson':
        return answer(response, 200, this.create(client, data));
      case '/api/v1/eService/paymentStatus':
        return answer(response, 200, this.statuses(client, data));
      case '/api/v1/eService/suspendRequest':
        return this.suspend(client, data, response);
      default:
        return answer(response, 404, { error: 'no such operation' });
    }
  }

  private create(client: SimulatorClient, data: Record<string, unknown>) {
    const errors = validatePaymentRequest(data);
    if (errors.length > 0) return { acceptedReceipt: null, unacceptedReceipt: { validationErrors: errors } };
    const aisPaymentId = String(data.AisPaymentId);
    // The same AisPaymentId from the same client is the same request: a retried creation gets the same receipt.
    const existing = [...this.payments.values()].find(
      (payment) => payment.clientId === client.clientId && payment.aisPaymentId === aisPaymentId,
    );
    if (existing) {
      existing.createCalls += 1;
      return {
        acceptedReceipt: { id: existing.id, registrationTime: existing.history[0]!.changeTime },
        unacceptedReceipt: null,
      };
    }
    const payment: SimulatedPayment = {
      id: randomUUID(),
      clientId: client.clientId,
      aisPaymentId,
      request: data,
      history: [{ status: StatusCode.Pending, changeTime: new Date().toISOString() }],
      createCalls: 1,
      notifications: { delivered: 0, failed: 0 },
    };
    this.payments.set(payment.id, payment);
    this.options.log?.(
      `payment system ← request ${aisPaymentId}: ${String(data.PaymentAmount)} ${String(data.Currency)}`,
    );
    this.scheduleCitizen(payment);
    return {
      acceptedReceipt: { id: payment.id, registrationTime: payment.history[0]!.changeTime },
      unacceptedReceipt: null,
    };
  }

  private statuses(client: SimulatorClient, data: Record<string, unknown>) {
    const ids = Array.isArray(data.requestIds) ? data.requestIds.map(String) : [];
    return {
      statuses: ids.flatMap((id) => {
        const payment = this.payments.get(id);
        if (!payment || payment.clientId !== client.clientId) return [];
        const last = payment.history.at(-1)!;
        return [{ id, status: last.status, changeTime: last.changeTime }];
      }),
    };
  }

  private suspend(client: SimulatorClient, data: Record<string, unknown>, response: ServerResponse): void {
    const payment = this.payments.get(String(data.id));
    if (!payment || payment.clientId !== client.clientId) return answer(response, 404, { error: 'no such request' });
    const current = payment.history.at(-1)!.status;
    if (current !== StatusCode.Pending && current !== StatusCode.Canceled) {
      return answer(response, 409, { error: `cannot suspend a request in status ${current}` });
    }
    this.changeStatus(payment, StatusCode.Suspended, true);
    answer(response, 200, { success: true });
  }

  /** The citizen pays: by card (Authorized, then Paid) or by bank transfer (Ordered, then Paid). */
  pay(
    id: string,
    options: { channel?: 'card' | 'transfer'; notify?: boolean; stopBeforePaid?: boolean } = {},
  ): SimulatedPayment {
    const payment = this.mustGet(id);
    const notify = options.notify ?? true;
    this.changeStatus(payment, options.channel === 'transfer' ? StatusCode.Ordered : StatusCode.Authorized, notify);
    if (!options.stopBeforePaid) {
      const settle = () => this.changeStatus(payment, StatusCode.Paid, notify);
      if (this.options.settleMs > 0) this.later(this.options.settleMs, settle);
      else settle();
    }
    return payment;
  }

  expire(id: string, notify = true): SimulatedPayment {
    const payment = this.mustGet(id);
    this.changeStatus(payment, StatusCode.Expired, notify);
    return payment;
  }

  private changeStatus(payment: SimulatedPayment, status: StatusCodeValue, notify: boolean): void {
    const last = payment.history.at(-1)!;
    if (last.status === StatusCode.Paid || last.status === status) return;
    // Strictly later than the previous change, even within one millisecond.
    const time = Math.max(Date.now(), Date.parse(last.changeTime) + 1);
    const change = { status, changeTime: new Date(time).toISOString() };
    payment.history.push(change);
    this.options.log?.(`payment system: ${payment.aisPaymentId} is now ${statusName(status)}`);
    if (notify) this.notify(payment, change);
  }

  /** Sends (again) the notification of one of the payment's past changes: an out-of-order delivery. */
  resend(id: string, index: number): void {
    const payment = this.mustGet(id);
    const change = payment.history[index];
    if (!change) throw new Error(`payment ${id} has no change ${index}`);
    this.notify(payment, change);
  }

  private notify(payment: SimulatedPayment, change: StatusChange): void {
    const copies = this.duplicateNotifications ? 2 : 1;
    for (let i = 0; i < copies; i++) void this.deliver(payment, change, 0);
  }

  private async deliver(payment: SimulatedPayment, change: StatusChange, attempt: number): Promise<void> {
    const client = this.options.clients.find((candidate) => candidate.clientId === payment.clientId)!;
    const signed = envelope(client.clientId, client.secret, {
      Id: payment.id,
      Status: change.status,
      ChangeTime: change.changeTime,
    });
    let delivered = false;
    try {
      const response = await fetch(String(payment.request.AdministrativeServiceNotificationURL), {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ ...signed }).toString(),
        signal: AbortSignal.timeout(5_000),
      });
      const text = await response.text();
      delivered = response.ok && (JSON.parse(text) as { success?: unknown }).success === true;
    } catch {
      delivered = false;
    }
    if (delivered) {
      payment.notifications.delivered += 1;
      return;
    }
    payment.notifications.failed += 1;
    const wait = this.options.retryScheduleMs[attempt];
    if (wait === undefined) {
      this.options.log?.(`payment system: gave up notifying ${payment.aisPaymentId} of ${statusName(change.status)}`);
      return;
    }
    this.later(wait, () => void this.deliver(payment, change, attempt + 1));
  }

  private scheduleCitizen(payment: SimulatedPayment): void {
    const autoPay = this.options.autoPay;
    if (!autoPay) return;
    if (Math.random() < autoPay.share) {
      const after = autoPay.minMs + Math.random() * (autoPay.maxMs - autoPay.minMs);
      this.later(after, () => {
        if (payment.history.at(-1)!.status === StatusCode.Pending) {
          this.pay(payment.id, { channel: Math.random() < 0.8 ? 'card' : 'transfer' });
        }
      });
    } else {
      this.later(autoPay.expireOthersAfterMs, () => {
        if (payment.history.at(-1)!.status === StatusCode.Pending) this.expire(payment.id);
      });
    }
  }

  private async control(method: string, url: URL, body: string, response: ServerResponse): Promise<void> {
    const input = body ? (JSON.parse(body) as Record<string, unknown>) : {};
    const parts = url.pathname.split('/').filter(Boolean); // ['simulator', ...]
    try {
      if (method === 'POST' && parts[1] === 'failure') {
        this.failure = input as FailureMode;
        return answer(response, 200, this.failure);
      }
      if (method === 'POST' && parts[1] === 'notifications') {
        this.duplicateNotifications = input.duplicate === true;
        return answer(response, 200, { duplicate: this.duplicateNotifications });
      }
      if (parts[1] === 'payments' && method === 'GET' && parts.length === 2) {
        const ais = url.searchParams.get('aisPaymentId');
        return answer(response, 200, {
          items: [...this.payments.values()].filter((payment) => !ais || payment.aisPaymentId === ais).map(view),
        });
      }
      const id = parts[2] ?? '';
      if (parts[1] === 'payments' && method === 'GET' && parts.length === 3)
        return answer(response, 200, view(this.mustGet(id)));
      if (parts[1] === 'payments' && method === 'POST') {
        switch (parts[3]) {
          case 'pay':
            return answer(
              response,
              200,
              view(
                this.pay(id, {
                  channel: input.channel === 'transfer' ? 'transfer' : 'card',
                  notify: input.notify !== false,
                  stopBeforePaid: input.stopBeforePaid === true,
                }),
              ),
            );
          case 'expire':
            return answer(response, 200, view(this.expire(id, input.notify !== false)));
          case 'resend':
            this.resend(id, Number(input.index ?? 0));
            return answer(response, 200, view(this.mustGet(id)));
        }
      }
      answer(response, 404, { error: 'no such simulator operation' });
    } catch (error) {
      answer(response, 404, { error: error instanceof Error ? error.message : String(error) });
    }
  }

  private mustGet(id: string): SimulatedPayment {
    const payment = this.payments.get(id);
    if (!payment) throw new Error(`no payment ${id}`);
    return payment;
  }

  private later(ms: number, run: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      run();
    }, ms);
    this.timers.add(timer);
  }

  private delay(ms: number): Promise<void> {
    return new Promise((resolve) => this.later(ms, resolve));
  }
}

function view(payment: SimulatedPayment) {
  return {
    id: payment.id,
    aisPaymentId: payment.aisPaymentId,
    status: payment.history.at(-1)!.status,
    history: payment.history,
    createCalls: payment.createCalls,
    notifications: payment.notifications,
    paymentAmount: payment.request.PaymentAmount,
    serviceProviderIBAN: payment.request.ServiceProviderIBAN,
  };
}

function statusName(code: StatusCodeValue): string {
  return Object.entries(StatusCode).find(([, value]) => value === code)?.[0] ?? String(code);
}

export function validatePaymentRequest(data: Record<string, unknown>): string[] {
  const errors: string[] = [];
  for (const field of required) {
    if (data[field] === undefined || data[field] === null || data[field] === '') errors.push(`${field} is required`);
  }
  for (const [field, max] of Object.entries(limits)) {
    const value = data[field];
    if (typeof value === 'string' && value.length > max) errors.push(`${field} is longer than ${max}`);
  }
  if (typeof data.PaymentAmount !== 'number' || !(data.PaymentAmount > 0))
    errors.push('PaymentAmount must be positive');
  if (data.Currency !== 'EUR' && data.Currency !== 'BGN') errors.push('Currency must be EUR or BGN');
  if (![1, 2, 3].includes(data.ApplicantUinTypeId as number)) errors.push('ApplicantUinTypeId must be 1, 2 or 3');
  if (
    typeof data.ServiceProviderIBAN === 'string' &&
    !/^BG\d{2}[A-Z]{4}\d{6}[0-9A-Z]{8}$/.test(data.ServiceProviderIBAN)
  ) {
    errors.push('ServiceProviderIBAN is not a Bulgarian IBAN');
  }
  if (typeof data.ExpirationDate === 'string' && Number.isNaN(Date.parse(data.ExpirationDate))) {
    errors.push('ExpirationDate is not a date');
  }
  return errors;
}

function parseEnvelope(body: string): Envelope | undefined {
  try {
    const value = JSON.parse(body) as Partial<Envelope>;
    return typeof value.ClientId === 'string' && typeof value.Hmac === 'string' && typeof value.Data === 'string'
      ? (value as Envelope)
      : undefined;
  } catch {
    return undefined;
  }
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function answer(response: ServerResponse, status: number, body: unknown): void {
  if (response.headersSent || response.destroyed) return;
  response.writeHead(status, { 'Content-Type': 'application/json' });
  response.end(JSON.stringify(body));
}
