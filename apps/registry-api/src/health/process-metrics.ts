import { collectDefaultMetrics, Histogram, Registry } from 'prom-client';
import type { PostgresEventStore } from '@registry/event-store';
import { registerAppendLatency, registerRegistrySeries, type RegistryObservations } from '@registry/runtime';

/**
 * The API's /metrics (prom-client): process and event-loop metrics, every HTTP request's duration by
 * method, route template and status, append latency, and the log, projection and relay series from
 * memory. One registry per application, so two applications in one process (tests) do not share series.
 */
export class ProcessMetrics {
  readonly registry = new Registry();
  readonly httpRequestDuration = new Histogram({
    name: 'registry_http_request_duration_seconds',
    help: 'HTTP requests by method, route template and status, until the answer was sent.',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  readonly stopObservingAppends: () => void;

  constructor(observations: RegistryObservations, eventStore: Pick<PostgresEventStore, 'observeAppends'>) {
    collectDefaultMetrics({ register: this.registry });
    registerRegistrySeries(this.registry, observations);
    this.stopObservingAppends = registerAppendLatency(this.registry, eventStore);
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }
}
