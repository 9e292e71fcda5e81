import { type Link, propagation, ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { KafkaJsInstrumentation } from '@opentelemetry/instrumentation-kafkajs';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { NodeSDK } from '@opentelemetry/sdk-node';

/** What a started process must do before it exits: flush the spans it still holds. */
export interface Tracing {
  shutdown(): Promise<void>;
}

const NOT_TRACING: Tracing = { shutdown: () => Promise.resolve() };

/** Health probes and scrapes would be most of the spans and say nothing. */
const UNTRACED_PATHS = /^\/(health|metrics)(\/|$|\?)/;

type Environment = Readonly<Record<string, string | undefined>>;

/**
 * Tracing is off unless the standard variables name an exporter: `OTEL_TRACES_EXPORTER` (other than
 * `none`) or an OTLP endpoint. `OTEL_SDK_DISABLED=true` wins over both.
 */
export function tracingRequested(env: Environment): boolean {
  if (env.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true') return false;
  const exporters = (env.OTEL_TRACES_EXPORTER ?? '')
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
  if (exporters.length > 0) return !exporters.includes('none');
  return Boolean(env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim() || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?.trim());
}

/**
 * Starts OpenTelemetry for one process, configured only by the `OTEL_*` variables: HTTP, `pg` and
 * `kafkajs` spans. Must run before those modules are loaded (each app's `tracing.ts`, imported first).
 * Metrics and logs stay with /metrics and stdout unless `OTEL_METRICS_EXPORTER` / `OTEL_LOGS_EXPORTER` are set.
 */
export function startTracing(serviceName: string, env: Environment = process.env): Tracing {
  if (!tracingRequested(env)) return NOT_TRACING;
  const sdk = new NodeSDK({
    serviceName: env.OTEL_SERVICE_NAME?.trim() || serviceName,
    ...(env.OTEL_METRICS_EXPORTER ? {} : { metricReaders: [] }),
    ...(env.OTEL_LOGS_EXPORTER ? {} : { logRecordProcessors: [] }),
    instrumentations: [
      new HttpInstrumentation({
        ignoreIncomingRequestHook: (request) => UNTRACED_PATHS.test(request.url ?? ''),
      }),
      // Only queries inside a traced request or send: the projector's and relay's polls would drown the rest.
      new PgInstrumentation({ requireParentSpan: true }),
      new KafkaJsInstrumentation({ producerHook: keepRecordedTraceContext }),
    ],
  });
  sdk.start();
  return { shutdown: () => sdk.shutdown() };
}

/**
 * The kafkajs instrumentation parents every message of a batch on the sending call and overwrites
 * its `traceparent`. A relayed event carries the trace of the command that recorded it
 * (`ce_traceparent`, set by the relay): that context goes back into `traceparent`, so a consumer
 * continues the command's trace, and the send span links to it.
 */
function keepRecordedTraceContext(
  span: { addLink(link: Link): unknown },
  { message }: { message: { headers?: Record<string, unknown> } },
): void {
  const headers = message.headers;
  const recorded = headers?.ce_traceparent;
  if (!headers || typeof recorded !== 'string') return;
  const context = trace.getSpanContext(propagation.extract(ROOT_CONTEXT, { traceparent: recorded }));
  if (context) span.addLink({ context });
  headers.traceparent = recorded;
}
