import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

/**
 * What follows one piece of work across HTTP calls and Kafka messages; the trace context travels
 * separately, in OpenTelemetry's context (see @umg/tracing).
 */
export interface CorrelationContext {
  correlationId: string;
}

const storage = new AsyncLocalStorage<CorrelationContext>();

export function runWithCorrelation<T>(context: CorrelationContext, work: () => T): T {
  return storage.run(context, work);
}

export function currentCorrelation(): CorrelationContext | undefined {
  return storage.getStore();
}

const acceptableId = /^[A-Za-z0-9._:-]{1,128}$/;

/** Accepts a caller's id only when it is safe to log and forward; otherwise starts a new one. */
export function correlationIdFrom(candidate: unknown): string {
  return typeof candidate === 'string' && acceptableId.test(candidate) ? candidate : randomUUID();
}
