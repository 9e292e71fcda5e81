import cluster, { type Worker } from 'node:cluster';
import { availableParallelism } from 'node:os';
import type { Logger } from '@nestjs/common';
import { AggregatorRegistry } from 'prom-client';
import type { RegistryConfig } from '@registry/config';
import { closeOnShutdown, openRegistryDatabase, sharedSecret } from '@registry/runtime';
import { CLUSTER_METRICS_ANSWER, CLUSTER_METRICS_REQUEST } from './health/process-metrics';

/** API_WORKERS as a count: `auto` is one per core. */
export function apiWorkersOf(config: Pick<RegistryConfig, 'API_WORKERS'>): number {
  return config.API_WORKERS === 'auto' ? availableParallelism() : config.API_WORKERS;
}

const RESTART_DELAY_MS = 1_000;

/**
 * The primary of `API_WORKERS` > 1: it owns what must exist once (the embedded PostgreSQL, the
 * migrations, generated secrets), then forks the HTTP workers, which share the port and reach the
 * database by URL. Worker 0 keeps the in-process projector and relay as configured; the others serve
 * requests only. A worker that dies is forked again; on SIGTERM every worker drains and exits first.
 * Folded-state caches are per worker and checked against each stream's version (ADR 0008).
 */
export async function superviseApiWorkers(config: RegistryConfig, count: number, logger: Logger): Promise<void> {
  const database = await openRegistryDatabase(config, logger, 'registry-api');
  if (!config.JWKS_URL) sharedSecret(config);
  let stopping = false;
  const workers = new Map<number, Worker>();
  // /metrics on any worker answers for all: the HTTP and append series summed, the log's figures once.
  const aggregator = new AggregatorRegistry();
  const answerMetrics = (worker: Worker, message: { type?: unknown; id?: unknown }) => {
    if (message.type !== CLUSTER_METRICS_REQUEST) return;
    aggregator.clusterMetrics().then(
      (text) => worker.send({ type: CLUSTER_METRICS_ANSWER, id: message.id, text }),
      (error: unknown) =>
        worker.send({
          type: CLUSTER_METRICS_ANSWER,
          id: message.id,
          error: error instanceof Error ? error.message : String(error),
        }),
    );
  };
  const fork = (index: number): void => {
    const worker = cluster.fork({
      DATABASE_URL: database.url,
      API_WORKERS: '1',
      ...(index === 0 ? {} : { RUN_PROJECTOR: 'false', RUN_RELAY: 'false' }),
    });
    workers.set(index, worker);
    worker.on('message', (message: { type?: unknown; id?: unknown }) => answerMetrics(worker, message));
    worker.once('exit', (code, signal) => {
      workers.delete(index);
      if (stopping) return;
      logger.error(
        `API worker ${index} (pid ${worker.process.pid ?? '?'}) exited (${signal ?? code}); forking it again`,
      );
      setTimeout(() => fork(index), RESTART_DELAY_MS).unref();
    });
  };
  closeOnShutdown(
    async () => {
      stopping = true;
      const exits = [...workers.values()].map(
        (worker) => new Promise((resolve) => (worker.isDead() ? resolve(undefined) : worker.once('exit', resolve))),
      );
      for (const worker of workers.values()) worker.process.kill('SIGTERM');
      await Promise.all(exits);
      await database.close();
    },
    { withinMs: config.SHUTDOWN_DRAIN_MS + config.SHUTDOWN_TIMEOUT_MS + 20_000 },
  );
  let listening = 0;
  cluster.on('listening', () => {
    if (++listening === count)
      logger.log(
        `registry API: ${count} workers listening on http://${config.HOST}:${config.PORT} (primary pid ${process.pid})`,
      );
  });
  for (let index = 0; index < count; index++) fork(index);
}
