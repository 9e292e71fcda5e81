import { collectDefaultMetrics, Histogram, Registry } from 'prom-client';

/**
 * The API process's own metrics (prom-client): process and event-loop metrics, and the duration of
 * every HTTP request by method, route template and status. One registry per application, so two
 * applications in one process (tests) do not share series.
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

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }
}
