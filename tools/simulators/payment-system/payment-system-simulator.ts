import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  callbackBody,
  decodeBase64,
  encodeData,
  hmacOf,
  type Instant,
  newtonsoftLocal,
  newtonsoftUnspecified,
  PaidMethod,
  parseForm,
  parseRequestDate,
  roundTripLocal,
  sofiaWallMs,
  StatusCode,
  type StatusCodeValue,
  statusCamelCase,
  statusName,
  yyMMdd,
} from './wire';

/**
 * Plays the eGov payment system (pay-egov) over real HTTP as its source code behaves — see
 * docs/pay-egov-wire.md and contracts/fixtures/pay-egov/ — in either release:
 * - `2022` (governmentbg/pay-egov, v1.1): every status change is pushed, signed;
 * - `2024` (governmentbg/pay-egov_MDT-D7-3-5-2023, v2.1.3): the IBAN must be the client's
 *   registered one, and for the default obligation type only Paid is pushed, without Hmac.
 * `/simulator/...` lets tests and the demo make citizens pay, expire requests, replay
 * notifications, inject failures, switch the release, register clients and count calls.
 */

export type Release = '2022' | '2024';

export interface SimulatorClient {
  clientId: string;
  secret: string;
  /** The IBAN(s) registered for the client; PAY2 refuses a request for any other (none: not checked). */
  ibans?: string[];
}

export interface PaymentSystemSimulatorOptions {
  clients: SimulatorClient[];
  /**
   * Where each day's counter of request ids starts (default 1). The real system's counter lives in
   * its database; a simulator process restarted on the same day must not hand out an id again.
   */
  firstCounter?: number;
  /** Waits after each failed delivery of a notification; given up after the last (realRetryScheduleMs). */
  retryScheduleMs: number[];
  /** Between Authorized/Ordered and Paid when a citizen pays. */
  settleMs: number;
  /** Simulated citizens: the share of requests paid by themselves, and after how long (ms). */
  autoPay?: { share: number; minMs: number; maxMs: number; expireOthersAfterMs: number };
  release?: Release;
  /** The payment system's clock (ms since the epoch); tests pin it to a fixture's `fixtureClock`. */
  clock?: () => number;
  /** Callback ChangeTime with the server's UTC offset, as the source writes it (default true). */
  changeTimeOffset?: boolean;
  /** How long a callback may take before it counts as failed. */
  callbackTimeoutMs?: number;
  log?: (line: string) => void;
}

/** How the simulator misbehaves: `unavailable` answers 503, `reset` drops connections, `slow` delays
 * answers, `unauthorized` answers every eService call 401. */
export type FailureMode =
  | { mode: 'none' }
  | { mode: 'unavailable' }
  | { mode: 'reset' }
  | { mode: 'slow'; delayMs: number }
  | { mode: 'unauthorized' };

/** Which host queues a notification decides its keys in PAY1: the API host's JsonConvert defaults are camelCase. */
type ChangeOrigin = 'api' | 'portal';

interface StatusChange {
  status: StatusCodeValue;
  at: Instant;
  origin: ChangeOrigin;
}

interface SimulatedPayment {
  id: string;
  clientId: string;
  aisPaymentId: string | null;
  request: Record<string, unknown>;
  /** The values the system keeps, after its own conversions. */
  stored: StoredRequest;
  accessCode: string;
  history: StatusChange[];
  createCalls: number;
  notifications: { delivered: number; failed: number };
  paidMethod?: { method: number; description: string | null };
}

interface StoredRequest {
  iban: string;
  referenceNumber: string;
  referenceDate: string;
  expirationWallMs: number;
  currency: string;
  paymentAmount: number;
}

/** CalculateNextSendingAttemptTime: 1 min after failures 1–5, 15 min after 6–9, 1 h after 10–14,
 * 3 h after 15–20, 6 h after 21–24; the 25th failure ends it. */
export const realRetryScheduleMs = [
  ...Array<number>(5).fill(60_000),
  ...Array<number>(4).fill(15 * 60_000),
  ...Array<number>(5).fill(3_600_000),
  ...Array<number>(6).fill(3 * 3_600_000),
  ...Array<number>(4).fill(6 * 3_600_000),
];

export const eserviceOperations = [
  'paymentJson',
  'paymentsStatus',
  'accessCode',
  'suspendRequest',
  'setStatusPaid',
] as const;
type Operation = (typeof eserviceOperations)[number];

const parseErrorMessage =
  'An error occurred when attempting to parse data. Please ensure that POST data is in correct format.';
const notAuthorizedMessage = 'Not authorized to access payment request.';
const notFoundMessage = 'Payment request not found.';
// The source uses this text for setStatusPaid too.
const notPendingMessage = "Unable to suspend payment request with status different from 'Pending'.";
const accessCodeAlphabet = 'ABCDEFGHIJKLMNPQRSTUVWXYZ123456789';

/** An answer of the real service: status and JSON text (formatting matters for some). */
interface WireAnswer {
  status: number;
  body: string;
}

const json = (status: number, value: unknown): WireAnswer => ({ status, body: JSON.stringify(value) });
/** CustomServiceException → CustomExceptionFilter → JsonContent: camelCase, indented, CRLF. */
const serviceError = (message: string): WireAnswer => ({
  status: 400,
  body: JSON.stringify({ message }, null, 2).replace(/\n/g, '\r\n'),
});
const unauthorizedAnswer = json(401, { message: 'Authorization has been denied for this request.' });
/** An unhandled exception with IncludeErrorDetailPolicy.Never. */
const internalError = json(500, { message: 'An error has occurred.' });

/** Thrown inside an operation: becomes its answer. */
class Answer extends Error {
  constructor(readonly answer: WireAnswer) {
    super(answer.body);
  }
}

export class PaymentSystemSimulator {
  private server: Server | undefined;
  private failure: FailureMode = { mode: 'none' };
  private duplicateNotifications = false;
  private release: Release;
  private readonly clients = new Map<string, SimulatorClient>();
  private readonly payments = new Map<string, SimulatedPayment>();
  private readonly dayCounters = new Map<string, number>();
  private readonly calls = new Map<string, Map<string, number>>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private lastInstant: Instant = { ms: 0, sub: 0 };

  constructor(private readonly options: PaymentSystemSimulatorOptions) {
    this.release = options.release ?? '2022';
    for (const client of options.clients) this.registerClient(client);
  }

  async start(port: number, host = '127.0.0.1'): Promise<number> {
    this.server = createServer((request, response) => {
      this.route(request, response).catch((error: unknown) => sendJson(response, 500, { error: String(error) }));
    });
    await new Promise<void>((resolve) => this.server!.listen(port, host, resolve));
    return (this.server.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  setRelease(release: Release): void {
    this.release = release;
  }

  getRelease(): Release {
    return this.release;
  }

  /** The municipality registering a (district's) client: a new one, or new secret/IBANs for a known one. */
  registerClient(client: SimulatorClient): void {
    this.clients.set(client.clientId, { clientId: client.clientId, secret: client.secret, ibans: client.ibans ?? [] });
  }

  // ---- HTTP -------------------------------------------------------------------------------

  private async route(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://simulator');
    const body = await readBody(request);
    if (url.pathname.startsWith('/simulator/') || url.pathname === '/simulator') {
      return this.control(request.method ?? 'GET', url, body, response);
    }
    const operation = /^\/api\/v1\/eService\/([^/]+)$/i.exec(url.pathname)?.[1];
    const known = eserviceOperations.find((name) => name.toLowerCase() === operation?.toLowerCase());
    const counted = (answer: WireAnswer | 'reset') => {
      if (known && request.method === 'POST') this.count(known, answer === 'reset' ? 'reset' : String(answer.status));
      if (answer === 'reset') request.socket.destroy();
      else sendText(response, answer);
    };
    if (this.failure.mode === 'reset') return counted('reset');
    if (this.failure.mode === 'unavailable') return counted(json(503, { message: 'Service Unavailable' }));
    if (this.failure.mode === 'slow') await this.delay(this.failure.delayMs);
    if (!known) {
      return counted(
        json(404, { message: `No HTTP resource was found that matches the request URI '${request.url ?? ''}'.` }),
      );
    }
    if (request.method !== 'POST') {
      return counted(
        json(405, { message: `The requested resource does not support http method '${request.method}'.` }),
      );
    }
    if (this.failure.mode === 'unauthorized') return counted(unauthorizedAnswer);
    counted(this.eservice(known, request.headers['content-type'], body));
  }

  /** One eService call as EserviceController with its EserviceAuthorize filter handles it. */
  private eservice(operation: Operation, contentType: string | undefined, body: string): WireAnswer {
    // HmacAuthorizeAttribute: the raw body parsed as a query string, whatever the content type.
    const fields = parseForm(body);
    const client = this.clients.get(fields.get('clientid') ?? '');
    const data = fields.get('data');
    if (!client || data === undefined || hmacOf(client.secret, data) !== fields.get('hmac')) return unauthorizedAnswer;
    // Only then the action's parameter is bound, by the form formatter alone.
    const mediaType = (contentType ?? 'application/octet-stream').split(';')[0]!.trim().toLowerCase();
    if (mediaType !== 'application/x-www-form-urlencoded') {
      return json(415, {
        message: `The request entity's media type '${mediaType}' is not supported for this resource.`,
      });
    }
    try {
      switch (operation) {
        case 'paymentJson':
          return this.paymentJson(client, data);
        case 'paymentsStatus':
          return this.paymentsStatus(client, data);
        case 'accessCode':
          return this.accessCode(client, data);
        case 'suspendRequest':
          return this.suspendRequest(client, data);
        case 'setStatusPaid':
          return this.setStatusPaid(client, data);
      }
    } catch (error) {
      if (error instanceof Answer) return error.answer;
      this.options.log?.(`payment system: unhandled ${String(error)}`);
      return internalError;
    }
  }

  // ---- operations -------------------------------------------------------------------------

  private paymentJson(client: SimulatorClient, data: string): WireAnswer {
    const now = this.now();
    const request = parseRequestObject(data);
    // PaymentRequestJsonDO: Newtonsoft matches property names case-insensitively and converts types.
    const field = (name: string) => lookup(request, name);
    const text = (name: string) => toText(field(name));
    const dto = {
      aisPaymentId: text('aisPaymentId'),
      serviceProviderName: text('serviceProviderName'),
      serviceProviderBank: text('serviceProviderBank'),
      serviceProviderBIC: text('serviceProviderBIC'),
      serviceProviderIBAN: text('serviceProviderIBAN'),
      currency: text('currency'),
      paymentTypeCode: text('paymentTypeCode'),
      obligationType: text('obligationType'),
      paymentAmount: toDouble(field('paymentAmount')),
      paymentReason: text('paymentReason'),
      applicantUinTypeId: toInt(field('applicantUinTypeId')),
      applicantUin: text('applicantUin'),
      applicantName: text('applicantName'),
      paymentReferenceType: text('paymentReferenceType'),
      paymentReferenceNumber: text('paymentReferenceNumber'),
      paymentReferenceDate: toDate(field('paymentReferenceDate')),
      expirationDate: toDate(field('expirationDate')),
      additionalInformation: text('additionalInformation'),
      administrativeServiceUri: text('administrativeServiceUri'),
      administrativeServiceSupplierUri: text('administrativeServiceSupplierUri'),
      administrativeServiceNotificationURL: text('administrativeServiceNotificationURL'),
    };
    // PAY2: checked first, inside the parse block, with Web API's BadRequest(string).
    if (
      this.release === '2024' &&
      (client.ibans ?? []).length > 0 &&
      !client.ibans!.includes(dto.serviceProviderIBAN ?? '')
    ) {
      return json(400, { message: 'Requested IBAN must match the AIS client IBAN' });
    }
    // PaymentAmount.Value of a null amount throws inside the parse block.
    if (dto.paymentAmount === null) throw new Answer(serviceError(parseErrorMessage));
    if (this.release === '2024' && dto.obligationType !== null && dto.obligationType.trim() !== '1') {
      // Only type 1 is seeded; any other value ends in int.Parse or a null dereference in DocumentHelper.
      return internalError;
    }
    const schemaErrors = schemaValidation(dto);
    if (schemaErrors.length > 0) {
      const lines = schemaErrors.map((error, index) => `${index + 1}. ${error}\r\n`).join('');
      throw new Answer(serviceError(`Xsd schema validation errors occurred:\r\n${lines}`));
    }

    // DocumentHelper.ValidatePaymentRequestData, in its order.
    const errors: string[] = [];
    const blank = (value: string | null) => value === null || value.trim() === '';
    if (blank(dto.serviceProviderName))
      errors.push("Element 'ElectronicServiceProviderBasicData.EntityBasicData.Name' is required.");
    if (blank(dto.serviceProviderBank))
      errors.push("Element 'ElectronicServiceProviderBankAccount.EntityBasicData.Name' is required.");
    if (blank(dto.serviceProviderBIC)) errors.push("Element 'ElectronicServiceProviderBankAccount.BIC' is required.");
    const validIban = !blank(dto.serviceProviderIBAN);
    if (!validIban) errors.push("Element 'ElectronicServiceProviderBankAccount.IBAN' is required.");
    if (blank(dto.currency)) errors.push("Element 'Currency' is required.");
    if (blank(dto.paymentReason)) errors.push("Element 'PaymentReason' is required.");
    const validReferenceNumber = !blank(dto.paymentReferenceNumber);
    if (!validReferenceNumber) errors.push("Element 'PaymentReference.PaymentReferenceNumber' is required.");
    const validReferenceDate = dto.paymentReferenceDate !== null;
    if (!validReferenceDate) errors.push("Element 'PaymentReference.PaymentReferenceDate' is required.");
    const nowWall = sofiaWallMs(now.ms);
    let validExpiration = false;
    if (dto.expirationDate === null) errors.push("Element 'PaymentRequestExpirationDate' is required.");
    else if (dto.expirationDate <= nowWall) {
      errors.push("Value of 'PaymentRequestExpirationDate' should be greater than current date.");
    } else validExpiration = true;

    let existing: SimulatedPayment | undefined;
    if (validIban && validReferenceNumber && validReferenceDate && validExpiration) {
      const referenceDate = new Date(dto.paymentReferenceDate!).toISOString().slice(0, 10);
      if (blank(dto.aisPaymentId)) {
        const duplicate = [...this.payments.values()].some(
          (payment) =>
            payment.stored.iban === dto.serviceProviderIBAN!.trim() &&
            payment.stored.referenceNumber === dto.paymentReferenceNumber!.trim() &&
            payment.stored.referenceDate === referenceDate &&
            payment.stored.expirationWallMs > nowWall &&
            !([StatusCode.Expired, StatusCode.Canceled, StatusCode.Suspended] as number[]).includes(current(payment)),
        );
        if (duplicate) {
          errors.push(
            this.release === '2022'
              ? "Already exist valid payment request with the same values for 'ElectronicServiceProviderBankAccount.IBAN', 'PaymentReference.PaymentReferenceNumber' and 'PaymentReference.PaymentReferenceDate'."
              : 'Заявка за плащене със същия референтен номер вече съществува!',
          );
        }
      } else {
        existing = [...this.payments.values()].find(
          (payment) => payment.clientId === client.clientId && payment.aisPaymentId === dto.aisPaymentId,
        );
        if (existing && current(existing) !== StatusCode.Pending) {
          errors.push(
            `Payment request with corresponding aisPaymentId has status '${statusName(current(existing))}'. Payment request replacing is allowed only when request status is 'Pending'.`,
          );
        }
      }
    }
    if (dto.applicantUinTypeId === 3) {
      if (blank(dto.applicantUin))
        errors.push("Recipient identifier in 'ElectronicServiceRecipient' (Person or Entity) is required.");
      if (blank(dto.applicantName))
        errors.push("Recipient name in 'ElectronicServiceRecipient' (Person or Entity) is required.");
    } else if (blank(dto.applicantName)) {
      errors.push("Recipient name in 'ElectronicServiceRecipient' (Person or Entity) is required.");
    }

    if (errors.length > 0) {
      this.options.log?.(`payment system: refused ${dto.aisPaymentId ?? '(no aisPaymentId)'}: ${errors.join(' ')}`);
      return json(200, {
        unacceptedReceiptJson: { validationTime: newtonsoftLocal(now), errors },
        acceptedReceiptJson: null,
      });
    }

    const stored: StoredRequest = {
      iban: dto.serviceProviderIBAN!.trim(),
      referenceNumber: dto.paymentReferenceNumber!.trim(),
      referenceDate: new Date(dto.paymentReferenceDate!).toISOString().slice(0, 10),
      expirationWallMs: dto.expirationDate!,
      currency: dto.currency!,
      paymentAmount: dto.paymentAmount,
    };
    if (existing) {
      // Replaced in place: same id, status and access code.
      existing.request = request;
      existing.stored = stored;
      existing.createCalls += 1;
      this.options.log?.(`payment system ← replaced ${existing.id} (${existing.aisPaymentId})`);
      return json(200, {
        unacceptedReceiptJson: null,
        acceptedReceiptJson: { id: existing.id, registrationTime: newtonsoftLocal(now) },
      });
    }
    const payment: SimulatedPayment = {
      id: this.nextId(now),
      clientId: client.clientId,
      aisPaymentId: blank(dto.aisPaymentId) ? null : dto.aisPaymentId,
      request,
      stored,
      accessCode: this.newAccessCode(),
      history: [{ status: StatusCode.Pending, at: now, origin: 'api' }],
      createCalls: 1,
      notifications: { delivered: 0, failed: 0 },
    };
    this.payments.set(payment.id, payment);
    this.options.log?.(
      `payment system ← request ${payment.id} (${payment.aisPaymentId ?? '-'}): ${dto.paymentAmount} ${dto.currency}`,
    );
    this.scheduleCitizen(payment);
    return json(200, {
      unacceptedReceiptJson: null,
      acceptedReceiptJson: { id: payment.id, registrationTime: newtonsoftLocal(now) },
    });
  }

  private paymentsStatus(client: SimulatorClient, data: string): WireAnswer {
    const object = parseJObject(data);
    const ids = lookup(object, 'requestIds');
    if (!Array.isArray(ids)) throw new Answer(serviceError(parseErrorMessage));
    const requestIds = ids.map((id) => jValueString(id));
    this.permitAccess(client, requestIds);
    return json(200, {
      paymentStatuses: requestIds.map((id) => {
        const payment = id === null ? undefined : this.payments.get(id);
        const last = payment?.history.at(-1);
        return {
          id,
          status: last ? statusCamelCase(last.status) : null,
          changeTime: last ? newtonsoftUnspecified(last.at) : null,
        };
      }),
    });
  }

  private accessCode(client: SimulatorClient, data: string): WireAnswer {
    const id = requiredString(parseJObject(data), 'id');
    this.permitAccess(client, [id]);
    return json(200, { accessCode: this.payments.get(id ?? '')?.accessCode ?? null });
  }

  private suspendRequest(client: SimulatorClient, data: string): WireAnswer {
    const id = requiredString(parseJObject(data), 'id');
    this.permitAccess(client, [id]);
    const payment = this.payments.get(id ?? '');
    if (!payment) throw new Answer(serviceError(notFoundMessage));
    const status = current(payment);
    if (status !== StatusCode.Pending && status !== StatusCode.Canceled)
      throw new Answer(serviceError(notPendingMessage));
    this.changeStatus(payment, StatusCode.Suspended, { notify: true, origin: 'api' });
    return json(200, {});
  }

  private setStatusPaid(client: SimulatorClient, data: string): WireAnswer {
    const object = parseJObject(data);
    const id = requiredString(object, 'id');
    const methodText = requiredString(object, 'paymentMethod');
    const method = parsePaidMethod(methodText);
    if (!hasProperty(object, 'paymentDescription')) throw new Answer(serviceError(parseErrorMessage));
    const description = jValueString(lookup(object, 'paymentDescription'));
    this.permitAccess(client, [id]);
    const payment = this.payments.get(id ?? '');
    if (!payment) throw new Answer(serviceError(notFoundMessage));
    if (current(payment) !== StatusCode.Pending) throw new Answer(serviceError(notPendingMessage));
    // Enum.Parse takes any integer; only 1 and 2 exist in the PaidStatusPaymentMethods table.
    if (method !== PaidMethod.Other && method !== PaidMethod.CashDesk) return internalError;
    payment.paidMethod = { method, description };
    this.changeStatus(payment, StatusCode.Paid, { notify: true, origin: 'api' });
    return json(200, {});
  }

  /** Authorizer.PermitAccessToRequests: only requests that exist are checked. */
  private permitAccess(client: SimulatorClient, ids: (string | null)[]): void {
    const foreign = ids.some((id) => {
      const payment = id === null ? undefined : this.payments.get(id);
      return payment !== undefined && payment.clientId !== client.clientId;
    });
    if (foreign) throw new Answer(serviceError(notAuthorizedMessage));
  }

  private nextId(now: Instant): string {
    const day = yyMMdd(now.ms);
    const counter = (this.dayCounters.get(day) ?? (this.options.firstCounter ?? 1) - 1) + 1;
    this.dayCounters.set(day, counter);
    return `${day}${counter}`;
  }

  private newAccessCode(): string {
    const taken = new Set([...this.payments.values()].map((payment) => payment.accessCode));
    for (;;) {
      let code = '';
      for (let i = 0; i < 10; i++) code += accessCodeAlphabet[Math.floor(Math.random() * accessCodeAlphabet.length)];
      if (!taken.has(code)) return code;
    }
  }

  /** Now, strictly after the previous instant, with the sub-millisecond digits .NET would have. */
  private now(): Instant {
    const ms = (this.options.clock ?? Date.now)();
    let instant: Instant = { ms, sub: Math.floor(Math.random() * 10_000) };
    const last = this.lastInstant;
    if (instant.ms < last.ms || (instant.ms === last.ms && instant.sub <= last.sub)) {
      instant = last.sub < 9_999 ? { ms: last.ms, sub: last.sub + 1 } : { ms: last.ms + 1, sub: 0 };
    }
    this.lastInstant = instant;
    return instant;
  }

  // ---- citizens and status changes ---------------------------------------------------------

  /** The citizen pays: by card (Authorized, then Paid) or by bank transfer (Ordered, then Paid). */
  pay(
    id: string,
    options: { channel?: 'card' | 'transfer'; notify?: boolean; stopBeforePaid?: boolean } = {},
  ): SimulatedPayment {
    const payment = this.mustGet(id);
    const notify = options.notify ?? true;
    const first = options.channel === 'transfer' ? StatusCode.Ordered : StatusCode.Authorized;
    this.changeStatus(payment, first, { notify, origin: 'portal' });
    if (!options.stopBeforePaid) {
      const settle = () => this.changeStatus(payment, StatusCode.Paid, { notify, origin: 'portal' });
      if (this.options.settleMs > 0) this.later(this.options.settleMs, settle);
      else settle();
    }
    return payment;
  }

  expire(id: string, notify = true): SimulatedPayment {
    const payment = this.mustGet(id);
    this.changeStatus(payment, StatusCode.Expired, { notify, origin: 'portal' });
    return payment;
  }

  /** The citizen refuses the request at the portal. */
  cancel(id: string, notify = true): SimulatedPayment {
    const payment = this.mustGet(id);
    this.changeStatus(payment, StatusCode.Canceled, { notify, origin: 'portal' });
    return payment;
  }

  private changeStatus(
    payment: SimulatedPayment,
    status: StatusCodeValue,
    options: { notify: boolean; origin: ChangeOrigin },
  ): void {
    const last = payment.history.at(-1)!;
    if (last.status === StatusCode.Paid || last.status === status) return;
    const change: StatusChange = { status, at: this.now(), origin: options.origin };
    payment.history.push(change);
    this.options.log?.(`payment system: ${payment.id} (${payment.aisPaymentId ?? '-'}) is now ${statusName(status)}`);
    if (options.notify) this.notify(payment, change);
  }

  /** Sends (again) the notification of one of the payment's past changes: an out-of-order delivery. */
  resend(id: string, index: number): void {
    const payment = this.mustGet(id);
    const change = payment.history[index];
    if (!change) throw new Error(`payment ${id} has no change ${index}`);
    this.notify(payment, change);
  }

  private notify(payment: SimulatedPayment, change: StatusChange): void {
    const url = toText(lookup(payment.request, 'administrativeServiceNotificationURL'));
    if (url === null || url.trim() === '') return;
    // PAY2 deletes every notification of the default obligation type (algorithm 1) but Paid's.
    if (this.release === '2024' && change.status !== StatusCode.Paid) return;
    const copies = this.duplicateNotifications ? 2 : 1;
    for (let i = 0; i < copies; i++) void this.deliver(payment, change, url, this.release, 0);
  }

  /** The callback exactly as the release sends it (also used by the tests). */
  callbackFor(payment: { id: string; clientId: string }, change: StatusChange, release: Release): string {
    const client = this.clients.get(payment.clientId)!;
    const changeTime = roundTripLocal(change.at, this.options.changeTimeOffset ?? true);
    const name = statusName(change.status);
    // PAY1 serialises with JsonConvert's defaults, camelCase in the API host; PAY2 always PascalCase.
    const camel = release === '2022' && change.origin === 'api';
    const payload = camel
      ? { id: payment.id, status: name, changeTime }
      : { Id: payment.id, Status: name, ChangeTime: changeTime };
    const data = encodeData(payload);
    return release === '2022'
      ? callbackBody({ ClientId: client.clientId, Hmac: hmacOf(client.secret, data), Data: data })
      : callbackBody({ ClientId: client.clientId, Data: data });
  }

  private async deliver(
    payment: SimulatedPayment,
    change: StatusChange,
    url: string,
    release: Release,
    failures: number,
  ): Promise<void> {
    let delivered = false;
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/x-www-form-urlencoded; charset=utf-8',
          Accept: 'application/json, text/plain',
        },
        body: this.callbackFor(payment, change, release),
        signal: AbortSignal.timeout(this.options.callbackTimeoutMs ?? 5_000),
      });
      delivered = response.ok && acceptsNotification(await response.text());
    } catch {
      delivered = false;
    }
    if (delivered) {
      payment.notifications.delivered += 1;
      return;
    }
    payment.notifications.failed += 1;
    const wait = this.options.retryScheduleMs[failures];
    if (wait === undefined) {
      this.options.log?.(`payment system: gave up notifying ${payment.id} of ${statusName(change.status)}`);
      return;
    }
    this.later(wait, () => void this.deliver(payment, change, url, release, failures + 1));
  }

  private scheduleCitizen(payment: SimulatedPayment): void {
    const autoPay = this.options.autoPay;
    if (!autoPay) return;
    if (Math.random() < autoPay.share) {
      const after = autoPay.minMs + Math.random() * (autoPay.maxMs - autoPay.minMs);
      this.later(after, () => {
        if (current(payment) === StatusCode.Pending) {
          this.pay(payment.id, { channel: Math.random() < 0.8 ? 'card' : 'transfer' });
        }
      });
    } else {
      this.later(autoPay.expireOthersAfterMs, () => {
        if (current(payment) === StatusCode.Pending) this.expire(payment.id);
      });
    }
  }

  // ---- control API ------------------------------------------------------------------------

  private count(operation: string, status: string): void {
    const byStatus = this.calls.get(operation) ?? new Map<string, number>();
    byStatus.set(status, (byStatus.get(status) ?? 0) + 1);
    this.calls.set(operation, byStatus);
  }

  callCounts(): { byOperation: Record<string, { total: number; byStatus: Record<string, number> }> } {
    const byOperation: Record<string, { total: number; byStatus: Record<string, number> }> = {};
    for (const [operation, byStatus] of this.calls) {
      const counts = Object.fromEntries(byStatus);
      byOperation[operation] = { total: [...byStatus.values()].reduce((a, b) => a + b, 0), byStatus: counts };
    }
    return { byOperation };
  }

  private async control(method: string, url: URL, body: string, response: ServerResponse): Promise<void> {
    let input: Record<string, unknown>;
    try {
      input = body ? (JSON.parse(body) as Record<string, unknown>) : {};
    } catch {
      return sendJson(response, 400, { error: 'control bodies are JSON' });
    }
    const parts = url.pathname.split('/').filter(Boolean); // ['simulator', ...]
    try {
      if (method === 'POST' && parts[1] === 'failure') {
        const mode = input.mode;
        if (mode === 'slow') this.failure = { mode, delayMs: Number(input.delayMs ?? 1_000) };
        else if (mode === 'none' || mode === 'unavailable' || mode === 'reset' || mode === 'unauthorized') {
          this.failure = { mode };
        } else return sendJson(response, 400, { error: `unknown failure mode ${String(mode)}` });
        return sendJson(response, 200, this.failure);
      }
      if (method === 'POST' && parts[1] === 'notifications') {
        this.duplicateNotifications = input.duplicate === true;
        return sendJson(response, 200, { duplicate: this.duplicateNotifications });
      }
      if (parts[1] === 'release') {
        if (method === 'POST') {
          if (input.release !== '2022' && input.release !== '2024') {
            return sendJson(response, 400, { error: 'release is "2022" or "2024"' });
          }
          this.setRelease(input.release);
        }
        return sendJson(response, 200, { release: this.release });
      }
      if (parts[1] === 'calls') {
        if (method === 'POST' && parts[2] === 'reset') this.calls.clear();
        return sendJson(response, 200, this.callCounts());
      }
      if (parts[1] === 'clients') {
        if (method === 'POST') {
          if (
            typeof input.clientId !== 'string' ||
            typeof input.secret !== 'string' ||
            !input.clientId ||
            !input.secret
          ) {
            return sendJson(response, 400, { error: 'clientId and secret are required strings' });
          }
          const ibans = Array.isArray(input.ibans) ? input.ibans.map(String) : [];
          this.registerClient({ clientId: input.clientId, secret: input.secret, ibans });
          return sendJson(response, 201, { clientId: input.clientId, ibans });
        }
        return sendJson(response, 200, {
          items: [...this.clients.values()].map((client) => ({ clientId: client.clientId, ibans: client.ibans ?? [] })),
        });
      }
      if (parts[1] === 'payments' && method === 'GET' && parts.length === 2) {
        const ais = url.searchParams.get('aisPaymentId');
        return sendJson(response, 200, {
          items: [...this.payments.values()]
            .filter((payment) => !ais || payment.aisPaymentId === ais)
            .map((p) => this.view(p)),
        });
      }
      const id = parts[2] ?? '';
      if (parts[1] === 'payments' && method === 'GET' && parts.length === 3) {
        return sendJson(response, 200, this.view(this.mustGet(id)));
      }
      if (parts[1] === 'payments' && method === 'POST') {
        switch (parts[3]) {
          case 'pay':
            return sendJson(
              response,
              200,
              this.view(
                this.pay(id, {
                  channel: input.channel === 'transfer' ? 'transfer' : 'card',
                  notify: input.notify !== false,
                  stopBeforePaid: input.stopBeforePaid === true,
                }),
              ),
            );
          case 'expire':
            return sendJson(response, 200, this.view(this.expire(id, input.notify !== false)));
          case 'cancel':
            return sendJson(response, 200, this.view(this.cancel(id, input.notify !== false)));
          case 'resend':
            this.resend(id, Number(input.index ?? 0));
            return sendJson(response, 200, this.view(this.mustGet(id)));
        }
      }
      sendJson(response, 404, { error: 'no such simulator operation' });
    } catch (error) {
      sendJson(response, 404, { error: error instanceof Error ? error.message : String(error) });
    }
  }

  private view(payment: SimulatedPayment) {
    const last = payment.history.at(-1)!;
    return {
      id: payment.id,
      aisPaymentId: payment.aisPaymentId,
      clientId: payment.clientId,
      status: last.status,
      statusName: statusName(last.status),
      history: payment.history.map((change) => ({
        status: change.status,
        statusName: statusName(change.status),
        changeTime: new Date(change.at.ms).toISOString(),
        wireChangeTime: roundTripLocal(change.at, this.options.changeTimeOffset ?? true),
      })),
      createCalls: payment.createCalls,
      notifications: payment.notifications,
      accessCode: payment.accessCode,
      currency: payment.stored.currency,
      paymentAmount: lookup(payment.request, 'paymentAmount'),
      serviceProviderIBAN: lookup(payment.request, 'serviceProviderIBAN'),
      paidMethod: payment.paidMethod ?? null,
      request: payment.request,
    };
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

function current(payment: SimulatedPayment): StatusCodeValue {
  return payment.history.at(-1)!.status;
}

/** IsNotificationAccepted: a JSON object with exactly one property named "success" (any case) whose value reads as true. */
export function acceptsNotification(text: string): boolean {
  try {
    const value: unknown = JSON.parse(text);
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
    const matches = Object.entries(value).filter(([key]) => key.toLowerCase() === 'success');
    if (matches.length !== 1) return false;
    const flag = matches[0]![1];
    return (
      (typeof flag === 'boolean' ? String(flag) : typeof flag === 'string' ? flag : '').trim().toLowerCase() === 'true'
    );
  } catch {
    return false;
  }
}

// ---- Newtonsoft-like reading of `data` -------------------------------------------------------

/** `data` → JSON object, or the parse error answer (Convert.FromBase64String, JObject.Parse). */
function parseJObject(data: string): Record<string, unknown> {
  const text = decodeBase64(data);
  if (text === undefined) throw new Answer(serviceError(parseErrorMessage));
  try {
    const value: unknown = JSON.parse(text);
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // falls through
  }
  throw new Answer(serviceError(parseErrorMessage));
}

/** JsonConvert.DeserializeObject<PaymentRequestJsonDO>: also a JSON object (null properties allowed). */
function parseRequestObject(data: string): Record<string, unknown> {
  return parseJObject(data);
}

function lookup(object: Record<string, unknown>, name: string): unknown {
  const key = Object.keys(object).find((candidate) => candidate.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : object[key];
}

function hasProperty(object: Record<string, unknown>, name: string): boolean {
  return Object.keys(object).some((candidate) => candidate.toLowerCase() === name.toLowerCase());
}

/** JToken.Value<string>() of a property that must exist. */
function requiredString(object: Record<string, unknown>, name: string): string | null {
  if (!hasProperty(object, name)) throw new Answer(serviceError(parseErrorMessage));
  return jValueString(lookup(object, name));
}

function jValueString(value: unknown): string | null {
  if (value === null) return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return dotnetPrimitiveText(value);
  throw new Answer(serviceError(parseErrorMessage));
}

function dotnetPrimitiveText(value: number | boolean): string {
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  return String(value);
}

/** A string property of the DO: strings as they are, numbers and booleans as text, objects fail. */
function toText(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return dotnetPrimitiveText(value);
  throw new Answer(serviceError(parseErrorMessage));
}

/** double?: a JSON number or a numeric string (invariant culture); anything else fails the parse. */
function toDouble(value: unknown): number | null {
  if (value === undefined || value === null) return null;
  if (typeof value === 'number') return value;
  if (typeof value === 'string') {
    if (value.trim() === '') return null;
    if (/^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/.test(value)) return Number(value);
  }
  throw new Answer(serviceError(parseErrorMessage));
}

/** int?: an integral JSON number or an integer string. */
function toInt(value: unknown): number | null {
  if (value === undefined || value === null) return null;
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (typeof value === 'string') {
    if (value.trim() === '') return null;
    if (/^\s*[+-]?\d+\s*$/.test(value)) return Number(value);
  }
  throw new Answer(serviceError(parseErrorMessage));
}

/** DateTime?: an ISO 8601 string, as Sofia wall-clock ms. */
function toDate(value: unknown): number | null {
  if (value === undefined || value === null) return null;
  if (typeof value === 'string') {
    if (value.trim() === '') return null;
    const wall = parseRequestDate(value.trim());
    if (wall !== undefined) return wall;
  }
  throw new Answer(serviceError(parseErrorMessage));
}

function parsePaidMethod(text: string | null): number {
  const value = (text ?? '').trim();
  if (/^[+-]?\d+$/.test(value)) return Number(value);
  const name = Object.keys(PaidMethod).find((candidate) => candidate.toLowerCase() === value.toLowerCase());
  if (!name) throw new Answer(serviceError(parseErrorMessage));
  return PaidMethod[name as keyof typeof PaidMethod];
}

// The R-10046 schema the request is checked against after conversion: empty strings fail minLength 1,
// negative amounts fail minInclusive 0, the recipient must be a person with a valid ЕГН/ЛНЧ or an entity.
const egnPattern = /^\d{2}([024][1-9]|[135][0-2])(0[1-9]|[12][0-9]|3[01])\d{4}$/;
function schemaValidation(dto: { [key: string]: string | number | null }): string[] {
  const errors: string[] = [];
  const element = (namespace: string, name: string) => `'http://ereg.egov.bg/${namespace}:${name}'`;
  const minLength: [string, string, string][] = [
    ['paymentTypeCode', 'value/R-10002', 'PaymentCode'],
    ['currency', 'value/R-10004', 'Currency'],
    ['serviceProviderName', 'value/0008-000029', 'EntityName'],
    ['serviceProviderBIC', 'value/0008-000372', 'BIC'],
    ['serviceProviderIBAN', 'value/0008-000373', 'IBAN'],
    ['serviceProviderBank', 'value/0008-000029', 'EntityName'],
    ['paymentReason', 'value/R-10008', 'PaymentReason'],
    ['paymentReferenceType', 'value/R-10012', 'PaymentReferenceType'],
    ['paymentReferenceNumber', 'value/R-10014', 'PaymentReferenceNumber'],
    ['additionalInformation', 'value/R-10028', 'AdditionalInformationInPaymentRequest'],
    ['administrativeServiceUri', 'value/0008-000077', 'SUNAUServiceURI'],
    ['administrativeServiceSupplierUri', 'value/R-10030', 'ElectronicAdministrativeServiceSupplierUriRA'],
    ['administrativeServiceNotificationURL', 'value/R-10040', 'ElectronicAdministrativeServiceNotificationURL'],
  ];
  for (const [field, namespace, type] of minLength) {
    if (dto[field] === '') {
      errors.push(
        `The element is invalid - The value '' is invalid according to its datatype ${element(namespace, type)} - The actual length is less than the MinLength value.`,
      );
    }
  }
  if (typeof dto.paymentAmount === 'number' && dto.paymentAmount < 0) {
    errors.push(
      `The ${element('segment/R-10046', 'PaymentAmount')} element is invalid - The value '${dto.paymentAmount}' is invalid according to its datatype ${element('value/R-10006', 'PaymentAmount')} - The MinInclusive constraint failed.`,
    );
  }
  const type = dto.applicantUinTypeId;
  const uin = dto.applicantUin;
  if (type !== 1 && type !== 2 && type !== 3) {
    errors.push(
      `The element ${element('segment/0009-000015', 'ElectronicServiceRecipient')} has incomplete content. List of possible elements expected: 'Person, Entity, ForeignPerson, ForeignEntity'.`,
    );
  } else if (type === 1 || type === 2) {
    if (uin === null || uin.toString().trim() === '') {
      errors.push(
        `The element ${element('segment/0009-000006', 'Identifier')} has incomplete content. List of possible elements expected: 'EGN, LNCh'.`,
      );
    } else if (type === 1 && !egnPattern.test(String(uin))) {
      errors.push(
        `The ${element('segment/0009-000006', 'EGN')} element is invalid - The value '${uin}' is invalid according to its datatype ${element('value/0008-000012', 'EGN')} - The Pattern constraint failed.`,
      );
    } else if (type === 2 && !/^\d{10}$/.test(String(uin))) {
      errors.push(
        `The ${element('segment/0009-000006', 'LNCh')} element is invalid - The value '${uin}' is invalid according to its datatype ${element('value/0008-000013', 'LNCh')} - The Pattern constraint failed.`,
      );
    }
  } else if (dto.applicantName === '') {
    errors.push(
      `The element is invalid - The value '' is invalid according to its datatype ${element('value/0008-000029', 'EntityName')} - The actual length is less than the MinLength value.`,
    );
  }
  return errors;
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function sendText(response: ServerResponse, answer: WireAnswer): void {
  if (response.headersSent || response.destroyed) return;
  response.writeHead(answer.status, { 'Content-Type': 'application/json; charset=utf-8' });
  response.end(answer.body);
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  sendText(response, { status, body: JSON.stringify(body) });
}
