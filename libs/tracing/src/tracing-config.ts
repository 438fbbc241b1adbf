import { z } from 'zod';

/**
 * Tracing settings every service shares (spread into `commonConfigShape`). The names are the
 * OpenTelemetry SDK's own, so operators can use what they know; we read them here, validated,
 * rather than letting the SDK pick them up silently.
 */
export const tracingConfigShape = {
  OTEL_EXPORTER_OTLP_ENDPOINT: z
    .string()
    .url()
    .optional()
    .describe('Base URL of an OTLP/HTTP collector (spans go to <url>/v1/traces); no spans are exported when unset.'),
  OTEL_BSP_SCHEDULE_DELAY: z.coerce
    .number()
    .int()
    .min(50)
    .max(60_000)
    .default(5_000)
    .describe('How long finished spans are batched before they are sent to the collector (ms).'),
  OTEL_TRACES_SAMPLER_ARG: z.coerce
    .number()
    .min(0)
    .max(1)
    // A tenth by default: a recorded trace costs a span per request, call and message (measured:
    // 17 % of the gateway's CPU on its read path at 1); a trace that is not recorded costs nothing.
    .default(0.1)
    .describe(
      'Share of new traces recorded (0–1); a trace that arrives sampled from a caller is always kept, one that arrives not sampled is not.',
    ),
};

export interface TracingSettings {
  /** Base URL of the OTLP/HTTP collector; none means spans are made (for propagation and logs) but not sent. */
  otlpEndpoint?: string;
  exportDelayMs: number;
  sampleRatio: number;
}

/** The tracing part of a service's validated config. */
export function tracingSettings(config: {
  OTEL_EXPORTER_OTLP_ENDPOINT?: string | undefined;
  OTEL_BSP_SCHEDULE_DELAY: number;
  OTEL_TRACES_SAMPLER_ARG: number;
}): TracingSettings {
  return {
    otlpEndpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT,
    exportDelayMs: config.OTEL_BSP_SCHEDULE_DELAY,
    sampleRatio: config.OTEL_TRACES_SAMPLER_ARG,
  };
}
