export interface CircuitBreakerSettings {
  /** Consecutive failures that open the circuit. */
  failureThreshold: number;
  /** How long it stays open before a probe may go through. */
  resetAfterMs: number;
}

export type CircuitState = 'closed' | 'open' | 'half_open';

/**
 * Stops calling a system that keeps failing, so work waits in the queue instead of piling
 * timeouts on it; after `resetAfterMs` calls may probe it again, and one success closes it.
 */
export class CircuitBreaker {
  private current: CircuitState = 'closed';
  private failures = 0;
  private openedAt = 0;

  constructor(
    private readonly settings: CircuitBreakerSettings,
    private readonly now: () => number = Date.now,
  ) {}

  get state(): CircuitState {
    if (this.current === 'open' && this.now() - this.openedAt >= this.settings.resetAfterMs) {
      this.current = 'half_open';
    }
    return this.current;
  }

  /** Whether a call may go out now. */
  allows(): boolean {
    return this.state !== 'open';
  }

  /** Milliseconds until a probe may go out; 0 when calls may go now. */
  waitMs(): number {
    return this.allows() ? 0 : this.openedAt + this.settings.resetAfterMs - this.now();
  }

  succeeded(): void {
    this.failures = 0;
    this.current = 'closed';
  }

  failed(): void {
    this.failures += 1;
    if (this.current === 'half_open' || this.failures >= this.settings.failureThreshold) {
      this.current = 'open';
      this.openedAt = this.now();
    }
  }
}
