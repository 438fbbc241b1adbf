import type { EDeliveryFaultKind } from './e-delivery-fault';

/**
 * A call to e-delivery that did not succeed. `transient`: worth retrying later (unreachable,
 * timeout, 5xx without a fault, an unknown fault, circuit open); otherwise e-delivery refused the
 * request and a retry would be refused again. `fault` is the SOAP fault's meaning when there was one.
 * `attempted` is false when the open circuit breaker stopped the call before it was made.
 */
export class EDeliveryCallError extends Error {
  constructor(
    readonly transient: boolean,
    readonly fault: EDeliveryFaultKind | null,
    message: string,
    readonly attempted = true,
  ) {
    super(message);
    this.name = 'EDeliveryCallError';
  }
}
