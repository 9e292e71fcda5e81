import { tracing } from './tracing';
import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import { closeOnShutdown, loadConfigOrExit, openRegistryDatabase, Readiness, registryLogger } from '@registry/runtime';
import cluster from 'node:cluster';
import { apiWorkersOf, superviseApiWorkers } from './api-workers';
import { createRegistryApp } from './registry-app';

async function bootstrap(): Promise<void> {
  const config = loadConfigOrExit();
  const logger = new Logger('Registry');
  Logger.overrideLogger(registryLogger(config));
  const workers = apiWorkersOf(config);
  if (workers > 1 && cluster.isPrimary) return superviseApiWorkers(config, workers, logger);
  const database = await openRegistryDatabase(config, logger, 'registry-api');
  const app = await createRegistryApp(config, database);
  // On SIGTERM: not ready first (a load balancer stops routing here), then the server stops taking
  // connections and lets in-flight requests finish, for at most SHUTDOWN_TIMEOUT_MS.
  closeOnShutdown(
    async () => {
      app.get(Readiness).drain();
      logger.log(`shutting down: not ready; closing in ${config.SHUTDOWN_DRAIN_MS} ms`);
      await sleep(config.SHUTDOWN_DRAIN_MS);
      const timedOut = sleep(config.SHUTDOWN_TIMEOUT_MS, 'timed out' as const);
      if ((await Promise.race([app.close(), timedOut])) === 'timed out')
        logger.warn(`requests still running after ${config.SHUTDOWN_TIMEOUT_MS} ms: exiting anyway`);
      await tracing.shutdown();
    },
    { withinMs: config.SHUTDOWN_DRAIN_MS + config.SHUTDOWN_TIMEOUT_MS + 10_000 },
  );
  await app.listen(config.PORT, config.HOST);
  logger.log(
    `registry API listening on http://${config.HOST}:${config.PORT} (health: /health, /health/live, /health/ready; docs: /docs)`,
  );
}

bootstrap().catch((error: unknown) => {
  process.stderr.write(
    `registry API failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
