import { tracedFetch } from '@umg/tracing';
import { type ExchangeRecorder, sha256Hex } from '@umg/exchange-log';
import type { Logger } from '@umg/logging';
import { isOpenCircuit, PaymentSystemCircuit } from './payment-system-circuit';
import type { CreationReceipt, PaymentJsonData, ReportedStatus } from './egov-payment-request';
import { formBody, sign } from './egov-signature';
import { parseEgovTime } from './egov-time';

const paymentSystemFetch = tracedFetch('payment-system');

export interface PaymentSystemSettings {
  baseUrl: string;
  timeoutMs: number;
  breakerFailures: number;
  breakerResetMs: number;
}

/** The client id and secret a call is signed with: the district's own, or the municipality's. */
export interface PaymentSystemCredentials {
  clientId: string;
  secret: string;
}

/** The payment system did not give a usable answer; the call may be tried again later. */
export class PaymentSystemUnavailableError extends Error {
  constructor(
    message: string,
    /** The breaker refused the call: nothing was sent. */
    readonly circuitOpen = false,
  ) {
    super(message);
    this.name = 'PaymentSystemUnavailableError';
  }
}

/**
 * HTTP 401: the payment system does not accept our client id or HMAC — a configuration fault
 * (wrong or revoked secret), never the request's. Retrying is pointless until an operator fixes it.
 */
export class PaymentSystemUnauthorizedError extends Error {
  constructor(
    readonly clientId: string,
    readonly status: number,
  ) {
    super(`the payment system refused client ${clientId} (HTTP ${status}): check its client id and secret`);
    this.name = 'PaymentSystemUnauthorizedError';
  }
}

/** HTTP 400 `{"message"}`: the payment system will not do this (e.g. suspend a paid request). */
export class PaymentSystemRefusalError extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'PaymentSystemRefusalError';
  }
}

/** The e-service operations we use (pay-egov `EPayments.Service.Api/Controllers/v1/EserviceController.cs`). */
export type PaymentSystemOperation =
  'paymentJson' | 'paymentsStatus' | 'accessCode' | 'suspendRequest' | 'setStatusPaid';

/** How a fee was paid outside the payment system (pay-egov `PaidStatusPaymentMethod`: 1 Other, 2 CashDesk). */
export type PaidOutsideMethod = 'CashDesk' | 'Other';

/**
 * Calls the eGov payment system on its real wire contract: `POST {base}/api/v1/eService/{operation}`
 * with a form-encoded `clientId`, `hmac`, `data`; answers are camelCase JSON (HTTP 200), 400
 * `{"message"}` for a refused operation and 401 for bad credentials. A timeout per call and one
 * circuit breaker for outages; retrying is the callers' job, their work is persisted.
 */
export class PaymentSystemClient {
  readonly breaker: PaymentSystemCircuit;

  constructor(
    private readonly settings: PaymentSystemSettings,
    private readonly logger: Logger,
    private readonly exchanges?: ExchangeRecorder,
  ) {
    this.breaker = new PaymentSystemCircuit(
      { failureThreshold: settings.breakerFailures, resetAfterMs: settings.breakerResetMs },
      (error) => error instanceof PaymentSystemUnavailableError,
    );
  }

  async createPaymentRequest(credentials: PaymentSystemCredentials, data: PaymentJsonData): Promise<CreationReceipt> {
    const body = asObject(await this.call(credentials, 'paymentJson', data));
    const accepted = asObject(body.acceptedReceiptJson);
    if (typeof accepted.id === 'string' && accepted.id.length > 0) {
      return {
        accepted: true,
        paymentSystemId: accepted.id,
        registrationTime: parseEgovTime(accepted.registrationTime) ?? new Date(),
      };
    }
    if (body.unacceptedReceiptJson && typeof body.unacceptedReceiptJson === 'object') {
      const unaccepted = asObject(body.unacceptedReceiptJson);
      const errors = Array.isArray(unaccepted.errors) ? unaccepted.errors.map(String).slice(0, 50) : [];
      return {
        accepted: false,
        reasons: errors.length > 0 ? errors.map((error) => error.slice(0, 1000)) : ['unaccepted without errors'],
        validationTime: parseEgovTime(unaccepted.validationTime) ?? null,
      };
    }
    throw new PaymentSystemUnavailableError(
      'the payment system answered neither an accepted nor an unaccepted receipt',
    );
  }

  /** Statuses of up to a batch of requests of one client; an id the system does not know comes back with a null status. */
  async paymentsStatus(credentials: PaymentSystemCredentials, paymentSystemIds: string[]): Promise<ReportedStatus[]> {
    const body = asObject(await this.call(credentials, 'paymentsStatus', { requestIds: paymentSystemIds }));
    if (!Array.isArray(body.paymentStatuses)) {
      throw new PaymentSystemUnavailableError('a status answer without paymentStatuses');
    }
    return body.paymentStatuses
      .map(asObject)
      .filter((entry) => typeof entry.id === 'string')
      .map((entry) => ({ paymentSystemId: entry.id as string, status: entry.status, changeTime: entry.changeTime }));
  }

  /** The code the applicant types at pay.egov.bg to find the request; null when the system has none. */
  async accessCode(credentials: PaymentSystemCredentials, paymentSystemId: string): Promise<string | null> {
    const body = asObject(await this.call(credentials, 'accessCode', { id: paymentSystemId }));
    return typeof body.accessCode === 'string' && body.accessCode.length > 0 ? body.accessCode.slice(0, 100) : null;
  }

  /** Only from Pending or Canceled; the system then notifies Suspended. */
  async suspendRequest(credentials: PaymentSystemCredentials, paymentSystemId: string): Promise<void> {
    await this.call(credentials, 'suspendRequest', { id: paymentSystemId });
  }

  /** Only from Pending: the fee was paid outside the system (at the district's desk). */
  async setStatusPaid(
    credentials: PaymentSystemCredentials,
    paymentSystemId: string,
    paymentMethod: PaidOutsideMethod,
    paymentDescription: string,
  ): Promise<void> {
    await this.call(credentials, 'setStatusPaid', { id: paymentSystemId, paymentMethod, paymentDescription });
  }

  private async call(
    credentials: PaymentSystemCredentials,
    operation: PaymentSystemOperation,
    payload: unknown,
  ): Promise<unknown> {
    let answer: { status: number; text: string };
    try {
      answer = await this.breaker.run(() => this.exchange(credentials, operation, payload));
    } catch (error) {
      if (isOpenCircuit(error)) {
        throw new PaymentSystemUnavailableError('the circuit to the payment system is open', true);
      }
      throw error;
    }
    const { status, text } = answer;
    if (status >= 400) throw new PaymentSystemRefusalError(refusalMessage(status, text));
    if (status !== 200) throw new PaymentSystemUnavailableError(`unexpected HTTP ${status}`);
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new PaymentSystemUnavailableError('the payment system answered with something that is not JSON');
    }
  }

  /**
   * One HTTP exchange, as the breaker sees it: a rejection with PaymentSystemUnavailableError is an
   * outage (no answer, 5xx, 408, 429); anything else means the system is up and answering.
   */
  private async exchange(
    credentials: PaymentSystemCredentials,
    operation: PaymentSystemOperation,
    payload: unknown,
  ): Promise<{ status: number; text: string }> {
    const path = `/api/v1/eService/${operation}`;
    const body = formBody(sign(credentials.clientId, credentials.secret, payload));
    const exchange = {
      party: 'payment-system',
      direction: 'outbound' as const,
      operation: `POST ${path}`,
      requestHash: sha256Hex(body),
    };
    let response: Response;
    try {
      response = await paymentSystemFetch(`${this.settings.baseUrl}${path}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded; charset=UTF-8', Accept: 'application/json' },
        body,
        redirect: 'error',
        signal: AbortSignal.timeout(this.settings.timeoutMs),
      });
      this.exchanges?.record({ ...exchange, outcome: String(response.status) });
    } catch (error) {
      this.exchanges?.record({ ...exchange, outcome: 'unreachable' });
      throw new PaymentSystemUnavailableError(`no answer from the payment system: ${describe(error)}`);
    }
    const text = await response.text().catch(() => '');
    if (response.status === 401 || response.status === 403) {
      // The system is up and answering: this is about our credentials, not an outage.
      this.logger.error(
        { operation, clientId: credentials.clientId, status: response.status },
        'payment system refused our credentials',
      );
      throw new PaymentSystemUnauthorizedError(credentials.clientId, response.status);
    }
    if (response.status >= 500 || response.status === 429 || response.status === 408) {
      this.logger.warn({ operation, status: response.status }, 'payment system call failed');
      throw new PaymentSystemUnavailableError(`payment system answered ${response.status}`);
    }
    return { status: response.status, text };
  }
}

/** The `message` of a 400 answer (its CustomServiceException), or the status and the start of the body. */
function refusalMessage(status: number, text: string): string {
  try {
    const message = asObject(JSON.parse(text) as unknown).message;
    if (typeof message === 'string' && message.length > 0) return message.slice(0, 1000);
  } catch {
    // Not JSON: fall through to the raw text.
  }
  return `HTTP ${status}: ${text.slice(0, 500)}`;
}

function asObject(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    return cause ? `${error.message} (${cause})` : error.message;
  }
  return String(error);
}
