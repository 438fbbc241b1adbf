/**
 * A call to e-delivery that did not succeed. `transient`: worth retrying later (unreachable,
 * timeout, 5xx, 429, circuit open); otherwise e-delivery refused the request and a retry would
 * be refused again. `attempted` is false when the open circuit breaker stopped the call before it was made.
 */
export class EDeliveryCallError extends Error {
  constructor(
    readonly transient: boolean,
    readonly status: number | null,
    message: string,
    readonly attempted = true,
  ) {
    super(message);
    this.name = 'EDeliveryCallError';
  }
}
