import { tracing } from './tracing';
import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import {
  closeOnShutdown,
  createRegistryProjector,
  loadConfigOrExit,
  registryLogger,
  openRegistryDatabase,
  startWorkerHealth,
} from '@registry/runtime';

/**
 * The projector on its own (single-machine and distributed modes; the embedded default runs it
 * inside the API). Any number may run: each batch locks its projection's checkpoint row.
 */
async function start(): Promise<void> {
  const config = loadConfigOrExit();
  Logger.overrideLogger(registryLogger(config));
  const logger = new Logger('projector');
  const database = await openRegistryDatabase(config, logger, 'registry-projector');
  const projector = createRegistryProjector(config, database, logger, true);
  await projector.start();
  const health = await startWorkerHealth(config, database, { projector, relays: false });
  closeOnShutdown(async () => {
    health.drain();
    await projector.stop();
    await health.close();
    await database.close();
    await tracing.shutdown();
  });
  const statuses = await projector.status();
  logger.log(
    `projector following the log: ${statuses.map((s) => `${s.name} v${s.version} at ${s.position}`).join(', ')}`,
  );
  if (health.port !== undefined)
    logger.log(`health and metrics on http://${config.HOST}:${health.port} (/health/live, /health/ready, /metrics)`);
}

start().catch((error: unknown) => {
  process.stderr.write(
    `projector failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
