import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { closeOnShutdown, loadConfigOrExit, logLevels, openRegistryDatabase } from '@registry/runtime';
import { createRegistryApp } from './registry-app';

async function bootstrap(): Promise<void> {
  const config = loadConfigOrExit();
  const logger = new Logger('Registry');
  Logger.overrideLogger(logLevels(config.LOG_LEVEL));
  const database = await openRegistryDatabase(config, logger, 'registry-api');
  const app = await createRegistryApp(config, database);
  closeOnShutdown(() => app.close());
  await app.listen(config.PORT, config.HOST);
  logger.log(`registry API listening on http://${config.HOST}:${config.PORT} (health: /health, docs: /docs)`);
}

bootstrap().catch((error: unknown) => {
  process.stderr.write(
    `registry API failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
