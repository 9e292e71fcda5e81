import cluster from 'node:cluster';
import { randomUUID } from 'node:crypto';
import { AggregatorRegistry, collectDefaultMetrics, Histogram, Registry } from 'prom-client';
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
    if (cluster.isWorker) {
      // Answers the primary's collection for the whole cluster (prom-client's worker side).
      new AggregatorRegistry();
      AggregatorRegistry.setRegistries([this.registry]);
    }
  }

  /** This process's metrics; under API_WORKERS > 1 every worker's, aggregated by the primary, whichever worker is asked. */
  text(): Promise<string> {
    return cluster.isWorker ? clusterMetrics() : this.registry.metrics();
  }
}

/** Messages between an API worker and its primary (api-workers.ts) for /metrics. */
export const CLUSTER_METRICS_REQUEST = 'registry:cluster-metrics';
export const CLUSTER_METRICS_ANSWER = 'registry:cluster-metrics-answer';

interface ClusterMetricsAnswer {
  readonly type: typeof CLUSTER_METRICS_ANSWER;
  readonly id: string;
  readonly text?: string;
  readonly error?: string;
}

function clusterMetrics(): Promise<string> {
  const id = randomUUID();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => finish(new Error('the primary did not answer for the cluster\u2019s metrics')),
      10_000,
    );
    const listen = (message: unknown) => {
      const answer = message as Partial<ClusterMetricsAnswer>;
      if (answer.type !== CLUSTER_METRICS_ANSWER || answer.id !== id) return;
      finish(answer.error === undefined ? undefined : new Error(answer.error), answer.text);
    };
    function finish(error?: Error, text?: string): void {
      clearTimeout(timer);
      process.off('message', listen);
      if (error) reject(error);
      else resolve(text ?? '');
    }
    process.on('message', listen);
    process.send?.({ type: CLUSTER_METRICS_REQUEST, id });
  });
}
