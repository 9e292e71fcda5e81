import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { Pool } from 'pg';
import { collectDefaultMetrics, Registry } from 'prom-client';
import type { RegistryConfig } from '@registry/config';
import type { Projector } from '@registry/projections';
import { RegistryObservations, registerRegistrySeries } from './observations';
import { READINESS_REASONS, Readiness, type ReadinessCheck } from './readiness';
import type { RegistryDatabase } from './registry-database';

export interface HealthServer {
  readonly port: number;
  close(): Promise<void>;
}

/**
 * The projector's and the relay's own port (they serve no API): `/health/live`, `/health/ready` with the
 * API's checks and answers, and `/metrics` from memory. Plain node:http, so a worker loads no web framework.
 */
export async function serveHealth(options: {
  readonly host: string;
  readonly port: number;
  readonly readiness: Readiness;
  readonly pool: Pick<Pool, 'query'>;
  readonly metrics: Registry;
  /** METRICS_TOKEN: /metrics then needs `Authorization: Bearer <it>`. */
  readonly metricsToken?: string;
}): Promise<HealthServer> {
  const server: Server = createServer((request, response) => {
    const json = (status: number, body: object, type = 'application/json') =>
      response.writeHead(status, { 'content-type': type }).end(JSON.stringify(body));
    const path = (request.url ?? '/').split('?')[0];
    if (request.method !== 'GET' && request.method !== 'HEAD') return json(405, { status: 'method not allowed' });
    if (path === '/health/live') return json(200, { status: 'up' });
    if (path === '/health/ready') {
      // A check that throws (a migrations table unreadable) counts as the database failing.
      void options.readiness
        .failingChecks(options.pool)
        .catch((): ReadinessCheck[] => ['database'])
        .then((failing) =>
          failing.length === 0
            ? json(200, { status: 'ready' })
            : json(
                503,
                {
                  type: 'https://liangxin-registry.example/problems/not-ready',
                  title: 'Not ready',
                  status: 503,
                  detail: `failing: ${failing.join(', ')}`,
                  errors: failing.map((check) => ({ field: check, reason: READINESS_REASONS[check] })),
                },
                'application/problem+json',
              ),
        );
      return;
    }
    if (path === '/metrics') {
      if (options.metricsToken !== undefined && !bearerMatches(request.headers.authorization, options.metricsToken))
        return response.writeHead(401, { 'www-authenticate': 'Bearer' }).end();
      void options.metrics.metrics().then(
        (text) => response.writeHead(200, { 'content-type': options.metrics.contentType }).end(text),
        () => json(500, { status: 'metrics failed' }),
      );
      return;
    }
    json(404, { status: 'not found' });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, resolve);
  });
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : options.port,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** `Authorization: Bearer <expected>`? Compares digests, so neither timing nor a length check tells how much was right. */
export function bearerMatches(authorization: string | undefined, expected: string): boolean {
  const sent = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
  if (sent === undefined) return false;
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(sent), digest(expected));
}

/**
 * A worker's observability: process metrics and the registry's series from memory (refreshed every
 * METRICS_REFRESH_MS), served with the probes on HEALTH_PORT when it is set. `drain()` on SIGTERM.
 */
export async function startWorkerHealth(
  config: Pick<RegistryConfig, 'HOST' | 'HEALTH_PORT' | 'METRICS_REFRESH_MS' | 'METRICS_TOKEN'>,
  database: Pick<RegistryDatabase, 'eventStore' | 'pool'>,
  reports: { readonly projector?: Pick<Projector, 'status'>; readonly relays: boolean },
): Promise<{ readonly port: number | undefined; drain(): void; close(): Promise<void> }> {
  const readiness = new Readiness();
  const metrics = new Registry();
  collectDefaultMetrics({ register: metrics });
  const observations = new RegistryObservations(
    { eventStore: database.eventStore, pool: database.pool, ...reports },
    config.METRICS_REFRESH_MS,
  );
  registerRegistrySeries(metrics, observations);
  await observations.start();
  const server =
    config.HEALTH_PORT === undefined
      ? undefined
      : await serveHealth({
          host: config.HOST,
          port: config.HEALTH_PORT,
          readiness,
          pool: database.pool,
          metrics,
          ...(config.METRICS_TOKEN === undefined ? {} : { metricsToken: config.METRICS_TOKEN }),
        });
  return {
    port: server?.port,
    drain: () => readiness.drain(),
    close: async () => {
      observations.stop();
      await server?.close();
    },
  };
}
