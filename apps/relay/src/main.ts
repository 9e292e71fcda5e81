import { tracing } from './tracing';
import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import {
  closeOnShutdown,
  createRegistryRelay,
  loadConfigOrExit,
  registryLogger,
  openRegistryDatabase,
  startWorkerHealth,
} from '@registry/runtime';

/**
 * The Kafka relay on its own (single-machine and distributed modes; the embedded default runs it
 * inside the API when KAFKA_BROKERS is set). Several may run: one publishes, the others stand by.
 */
async function start(): Promise<void> {
  const config = loadConfigOrExit();
  Logger.overrideLogger(registryLogger(config));
  const logger = new Logger('relay');
  const database = await openRegistryDatabase(config, logger, 'registry-relay');
  const relay = createRegistryRelay(config, database, logger);
  const brokers = config.KAFKA_BROKERS;
  if (!relay || !brokers) {
    await database.close();
    process.stderr.write(
      'relay: KAFKA_BROKERS is not set, so there is nothing to publish to (integrators without Kafka read GET /v1/events)\n',
    );
    process.exit(2);
  }
  relay.start();
  const health = await startWorkerHealth(config, database, { relays: true });
  closeOnShutdown(async () => {
    health.drain();
    await relay.close();
    await health.close();
    await database.close();
    await tracing.shutdown();
  });
  logger.log(`relay publishing the log to ${brokers.join(',')} (topics ${config.RELAY_TOPIC_PREFIX}registry.*.v1)`);
  if (health.port !== undefined)
    logger.log(`health and metrics on http://${config.HOST}:${health.port} (/health/live, /health/ready, /metrics)`);
}

start().catch((error: unknown) => {
  process.stderr.write(
    `relay failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
