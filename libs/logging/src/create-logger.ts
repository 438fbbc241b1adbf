import pino, { type Logger } from 'pino';
import { currentTraceIds } from '@umg/tracing';
import { currentCorrelation } from './correlation';

export type { Logger } from 'pino';

/**
 * Personal identifiers (ЕГН/ЛНЧ) must never reach logs in plain text; these paths cover the
 * places our payloads carry them.
 */
const redactedPaths = [
  'identifier',
  '*.identifier',
  '*.*.identifier',
  'applicant.identifier',
  'representative.identifier',
  'payload.applicant.identifier',
  // Who collected a result at the desk, where an application is logged inside something else.
  '*.handover.recipient.identifier',
  'headers["x-api-key"]',
  'headers.authorization',
];

/** A service's JSON logger, to stdout unless told otherwise (tests). */
export function createLogger(service: string, level = 'info', destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: redactedPaths, censor: '[redacted]' },
      formatters: { level: (label) => ({ level: label }) },
      // The correlation id and the current span's trace_id/span_id, so a log line leads to its trace.
      mixin: () => {
        const context = currentCorrelation();
        return { ...(context ? { correlationId: context.correlationId } : {}), ...currentTraceIds() };
      },
    },
    destination ?? pino.destination(1),
  );
}
