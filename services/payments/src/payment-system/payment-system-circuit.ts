import CircuitBreaker from 'opossum';

export interface PaymentSystemCircuitSettings {
  /** Consecutive outages that open the circuit. */
  failureThreshold: number;
  /** How long it stays open before one probe may go through. */
  resetAfterMs: number;
}

export type CircuitState = 'closed' | 'open' | 'half_open';

type Exchange = () => Promise<unknown>;

/**
 * Stops calling a payment system that keeps failing, so work waits in the queue instead of piling
 * timeouts on it; after `resetAfterMs` a call probes it, and its success closes the circuit (opossum
 * keeps the state, refuses calls while open and times the probe). It opens after `failureThreshold`
 * consecutive outages rather than on opossum's error rate over a window: after a busy half minute
 * an outage would need as many failures as there were successes, and each failure spends one of a
 * call's few attempts. Only outages count: `isOutage` tells them from answers (a refusal, a 401)
 * that show the system is up.
 */
export class PaymentSystemCircuit {
  private readonly breaker: CircuitBreaker<[Exchange], unknown>;
  private openedAt = 0;
  private consecutiveOutages = 0;

  constructor(
    private readonly settings: PaymentSystemCircuitSettings,
    isOutage: (error: unknown) => boolean,
  ) {
    this.breaker = new CircuitBreaker((exchange: Exchange) => exchange(), {
      // Each call carries its own deadline (the HTTP timeout).
      timeout: false,
      resetTimeout: settings.resetAfterMs,
      // Never by rate: the consecutive count below opens it (a failed probe reopens it as well).
      errorThresholdPercentage: 100,
      errorFilter: (error: unknown) => !isOutage(error),
    });
    this.breaker.on('success', () => {
      this.consecutiveOutages = 0;
    });
    this.breaker.on('failure', () => {
      this.consecutiveOutages += 1;
      if (this.consecutiveOutages >= settings.failureThreshold) this.breaker.open();
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
