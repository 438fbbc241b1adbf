import CircuitBreaker from 'opossum';
import { PushFailure } from './back-office-answer';

export interface CircuitSettings {
  resetTimeoutMs: number;
  volumeThreshold: number;
}

export type CircuitState = 'closed' | 'open' | 'half_open';

type Exchange = () => Promise<unknown>;

/**
 * One circuit breaker per district (bulkhead): a district whose back office keeps failing is left
 * alone for a while and then probed once, and its trouble never opens another district's circuit.
 * Refusals of one message (permanent failures) say nothing about the back office's health and do
 * not count.
 */
export class DistrictCircuits {
  private readonly breakers = new Map<string, CircuitBreaker<[Exchange], unknown>>();

  constructor(private readonly settings: CircuitSettings) {}

  /** Runs the exchange through the district's breaker; rejects at once while the circuit is open. */
  run<T>(districtCode: string, exchange: () => Promise<T>): Promise<T> {
    return this.breaker(districtCode).fire(exchange) as Promise<T>;
  }

  /** Whether an exchange would be let through now (closed, or half-open and ready for a probe). */
  allows(districtCode: string): boolean {
    const breaker = this.breakers.get(districtCode);
    return !breaker || !breaker.opened || breaker.halfOpen;
  }

  state(districtCode: string): CircuitState {
    const breaker = this.breakers.get(districtCode);
    if (!breaker) return 'closed';
    if (breaker.halfOpen) return 'half_open';
    return breaker.opened ? 'open' : 'closed';
  }

  shutdown(): void {
    for (const breaker of this.breakers.values()) breaker.shutdown();
  }

  private breaker(districtCode: string): CircuitBreaker<[Exchange], unknown> {
    let breaker = this.breakers.get(districtCode);
    if (!breaker) {
      breaker = new CircuitBreaker((exchange: Exchange) => exchange(), {
        // The exchange carries its own timeout (the HTTP call's deadline).
        timeout: false,
        resetTimeout: this.settings.resetTimeoutMs,
        volumeThreshold: this.settings.volumeThreshold,
        errorThresholdPercentage: 50,
        rollingCountTimeout: 30_000,
        errorFilter: (error: unknown) => error instanceof PushFailure && error.permanent,
      });
      this.breakers.set(districtCode, breaker);
    }
    return breaker;
  }
}

/** Opossum's rejection while the circuit is open. */
export function isOpenCircuit(error: unknown): boolean {
  return (error as { code?: string } | null)?.code === 'EOPENBREAKER';
}
