import CircuitBreaker from 'opossum';

export interface PaymentSystemCircuitSettings {
  /** Calls in the rolling window before the error rate may open the circuit. */
  failureThreshold: number;
  /** How long it stays open before one probe may go through. */
  resetAfterMs: number;
}

export type CircuitState = 'closed' | 'open' | 'half_open';

type Exchange = () => Promise<unknown>;

/**
 * Stops calling a payment system that keeps failing, so work waits in the queue instead of piling
 * timeouts on it (opossum: at least `failureThreshold` calls in the last 30 s, more than half of
 * them failed); after `resetAfterMs` one call probes it, and its success closes the circuit. Only
 * outages count: `isOutage` tells them from answers (a refusal, a 401) that show the system is up.
 */
export class PaymentSystemCircuit {
  private readonly breaker: CircuitBreaker<[Exchange], unknown>;
  private openedAt = 0;

  constructor(
    private readonly settings: PaymentSystemCircuitSettings,
    isOutage: (error: unknown) => boolean,
  ) {
    this.breaker = new CircuitBreaker((exchange: Exchange) => exchange(), {
      // Each call carries its own deadline (the HTTP timeout).
      timeout: false,
      resetTimeout: settings.resetAfterMs,
      volumeThreshold: settings.failureThreshold,
      errorThresholdPercentage: 50,
      rollingCountTimeout: 30_000,
      errorFilter: (error: unknown) => !isOutage(error),
    });
    this.breaker.on('open', () => {
      this.openedAt = Date.now();
    });
  }

  /** Runs the exchange through the breaker; rejects at once (see `isOpenCircuit`) while it is open. */
  run<T>(exchange: () => Promise<T>): Promise<T> {
    return this.breaker.fire(exchange) as Promise<T>;
  }

  get state(): CircuitState {
    if (this.breaker.halfOpen) return 'half_open';
    return this.breaker.opened ? 'open' : 'closed';
  }

  /** Milliseconds until a probe may go out; 0 when calls may go now. */
  waitMs(): number {
    if (this.state !== 'open') return 0;
    return Math.max(0, this.openedAt + this.settings.resetAfterMs - Date.now());
  }
}

/** Opossum's rejection while the circuit is open: nothing was sent. */
export function isOpenCircuit(error: unknown): boolean {
  return (error as { code?: string } | null)?.code === 'EOPENBREAKER';
}
