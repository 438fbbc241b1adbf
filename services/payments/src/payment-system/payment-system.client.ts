import { tracedFetch } from '@umg/tracing';
import { type ExchangeRecorder, sha256Hex } from '@umg/exchange-log';
import type { Logger } from '@umg/logging';
import { CircuitBreaker } from './circuit-breaker';
import type { CreationReceipt, EgovPaymentRequest, ReportedStatus } from './egov-payment-request';
import { sign } from './egov-signature';

const paymentSystemFetch = tracedFetch('payment-system');

export interface PaymentSystemSettings {
  baseUrl: string;
  clientId: string;
  secret: string;
  timeoutMs: number;
  breakerFailures: number;
  breakerResetMs: number;
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

/** The payment system answered that it will not do this (e.g. suspend a paid request). */
export class PaymentSystemRefusalError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PaymentSystemRefusalError';
  }
}

// Paths of the payment system's e-service API (requests are POSTed, signed, as JSON).
const paths = {
  create: '/api/v1/eService/paymentJson',
  status: '/api/v1/eService/paymentStatus',
  suspend: '/api/v1/eService/suspendRequest',
};

/**
 * Calls the eGov payment system in its wire format, with a timeout per call and a circuit
 * breaker shared by every call. Retrying is the callers' job: their work is persisted.
 */
export class PaymentSystemClient {
  readonly breaker: CircuitBreaker;

  constructor(
    private readonly settings: PaymentSystemSettings,
    private readonly logger: Logger,
    private readonly exchanges?: ExchangeRecorder,
  ) {
    this.breaker = new CircuitBreaker({
      failureThreshold: settings.breakerFailures,
      resetAfterMs: settings.breakerResetMs,
    });
  }

  async createPaymentRequest(request: EgovPaymentRequest): Promise<CreationReceipt> {
    const body = (await this.call(paths.create, request)) as {
      acceptedReceipt?: { id?: unknown; registrationTime?: unknown } | null;
      unacceptedReceipt?: { validationErrors?: unknown } | null;
    };
    const accepted = body.acceptedReceipt;
    if (accepted && typeof accepted.id === 'string' && accepted.id.length > 0) {
      const time = typeof accepted.registrationTime === 'string' ? new Date(accepted.registrationTime) : new Date();
      return {
        accepted: true,
        paymentSystemId: accepted.id,
        registrationTime: Number.isNaN(time.getTime()) ? new Date() : time,
      };
    }
    const errors = body.unacceptedReceipt?.validationErrors;
    if (body.unacceptedReceipt) {
      return { accepted: false, reasons: Array.isArray(errors) ? errors.map(String).slice(0, 50) : ['unaccepted'] };
    }
    throw new PaymentSystemUnavailableError(
      'the payment system answered neither an accepted nor an unaccepted receipt',
    );
  }

  async statuses(paymentSystemIds: string[]): Promise<ReportedStatus[]> {
    const body = (await this.call(paths.status, { requestIds: paymentSystemIds })) as { statuses?: unknown };
    if (!Array.isArray(body.statuses)) throw new PaymentSystemUnavailableError('status answer without statuses');
    return (body.statuses as { id?: unknown; status?: unknown; changeTime?: unknown }[])
      .filter((entry) => typeof entry?.id === 'string')
      .map((entry) => ({ paymentSystemId: entry.id as string, status: entry.status, changeTime: entry.changeTime }));
  }

  async suspend(paymentSystemId: string): Promise<void> {
    await this.call(paths.suspend, { id: paymentSystemId });
  }

  private async call(path: string, payload: unknown): Promise<unknown> {
    if (!this.breaker.allows()) {
      throw new PaymentSystemUnavailableError('the circuit to the payment system is open', true);
    }
    let response: Response;
    const body = JSON.stringify(sign(this.settings.clientId, this.settings.secret, payload));
    const exchange = {
      party: 'payment-system',
      direction: 'outbound' as const,
      operation: `POST ${path}`,
      requestHash: sha256Hex(body),
    };
    try {
      response = await paymentSystemFetch(`${this.settings.baseUrl}${path}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
        body,
        signal: AbortSignal.timeout(this.settings.timeoutMs),
      });
      this.exchanges?.record({ ...exchange, outcome: String(response.status) });
    } catch (error) {
      this.exchanges?.record({ ...exchange, outcome: 'unreachable' });
      this.breaker.failed();
      throw new PaymentSystemUnavailableError(`no answer from the payment system: ${describe(error)}`);
    }
    const text = await response.text().catch(() => '');
    if (response.status >= 500 || response.status === 429 || response.status === 401 || response.status === 403) {
      // Down, overloaded, or refusing our credentials: none of it is the request's fault.
      this.breaker.failed();
      this.logger.warn({ path, status: response.status }, 'payment system call failed');
      throw new PaymentSystemUnavailableError(`payment system answered ${response.status}`);
    }
    this.breaker.succeeded();
    if (response.status >= 400) throw new PaymentSystemRefusalError(`${response.status}: ${text.slice(0, 500)}`);
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new PaymentSystemUnavailableError('the payment system answered with something that is not JSON');
    }
  }
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    return cause ? `${error.message} (${cause})` : error.message;
  }
  return String(error);
}
