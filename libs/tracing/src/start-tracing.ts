import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, ParentBasedSampler, TraceIdRatioBasedSampler } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import type { TracingSettings } from './tracing-config';

export interface Tracing {
  /** Sends what is still batched; called on shutdown so the last spans are not lost. */
  shutdown(): Promise<void>;
}

let started: { service: string; provider: NodeTracerProvider } | undefined;

/**
 * Registers the process-wide tracer: W3C trace context propagation, async-local context, and an
 * OTLP/HTTP exporter when a collector is configured. Without one, spans are still made, so trace
 * context flows on to the next service and log lines carry trace ids, but nothing is sent.
 * One per process: a second call (e.g. a test booting a module twice) keeps the first.
 */
export function startTracing(service: string, settings: TracingSettings): Tracing {
  if (!started) {
    const spanProcessors = settings.otlpEndpoint
      ? [
          new BatchSpanProcessor(
            new OTLPTraceExporter({ url: `${settings.otlpEndpoint.replace(/\/+$/, '')}/v1/traces` }),
            { scheduledDelayMillis: settings.exportDelayMs },
          ),
        ]
      : [];
    const provider = new NodeTracerProvider({
      resource: resourceFromAttributes({ 'service.name': `umg-${service}`, 'service.namespace': 'umg' }),
      sampler: new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(settings.sampleRatio) }),
      spanProcessors,
    });
    provider.register({ propagator: new W3CTraceContextPropagator() });
    started = { service, provider };
  }
  const { provider } = started;
  return { shutdown: () => provider.shutdown() };
}
